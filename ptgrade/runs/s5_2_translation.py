"""`ptgrade run 5.2`: train the student's Seq2SeqTransformer on the kit's number corpus (English number words to
Korean numerals, ptgrade/items/s5_2_translation.py) or on a learner's own tab-separated file (`--data file.tsv`).
"""
from __future__ import annotations

import random
import time

from ptgrade.i18n import _
from ptgrade.items.s5_2_translation import make_splits, read_tsv


# -- ptgrade run 5.2 ------------------------------------------------------------------------------------
def _data(options) -> dict[str, list[tuple[str, str]]]:
    from ptgrade.runs import RunProblem
    if options.smoke:
        return make_splits(options.seed, train=1_000, valid=64, test=64)
    if options.data is None:
        return make_splits(options.seed)
    if not options.data.is_file():
        raise RunProblem(_("--data {path} is not a file; pass a tab-separated file with one 'source<TAB>target' "
                           "pair per line, or leave --data out to use the kit's number corpus.").format(
            path=options.data))
    pairs = read_tsv(options.data)
    if len(pairs) < 20:
        raise RunProblem(_("--data {path} holds {count} pairs; pass a tab-separated file with at least 20 "
                           "'source<TAB>target' lines.").format(path=options.data, count=len(pairs)))
    shuffled = random.Random(options.seed).sample(pairs, len(pairs))
    cut = max(1, len(pairs) // 20)
    return {"test": shuffled[:cut], "valid": shuffled[cut:2 * cut], "train": shuffled[2 * cut:]}


def _batches(student, pairs, src_vocab, tgt_vocab, batch_size, generator):
    import torch
    encoded = student.encode_pairs(pairs, src_vocab, tgt_vocab)
    order = torch.randperm(len(encoded), generator=generator).tolist()
    for start in range(0, len(order), batch_size):
        yield student.collate([encoded[i] for i in order[start:start + batch_size]])


def _translate(student, model, pairs, src_vocab, tgt_vocab, device, beam_size=1, max_len=24):
    import torch
    model.eval()
    hypotheses = []
    with torch.no_grad():
        for start in range(0, len(pairs), 128):
            chunk = pairs[start:start + 128]
            batch = student.collate(student.encode_pairs(chunk, src_vocab, tgt_vocab))
            src = batch["src"].to(device)
            if beam_size == 1:
                outputs = student.greedy_decode(model, src, max_len)
            else:
                outputs = [student.beam_search(model, row[row != 0], beam_size, max_len) for row in src]
            hypotheses += [student.decode_target(ids, tgt_vocab) for ids in outputs]
    return hypotheses


def run(student, options, report) -> dict:
    """Train the student's Seq2SeqTransformer on the number corpus (or --data), greedy-decode and
    BLEU-score the validation split after every epoch, then the test split with greedy and beam search."""
    import warnings

    import torch

    from ptgrade.runs import RunProblem
    warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")  # nn.Transformer's eval fast path
    device = torch.device(options.device)
    if options.smoke:  # a tiny model on a few batches: one thread is fastest, and fair to a busy machine
        torch.set_num_threads(1)
    splits = _data(options)
    epochs = options.epochs or (1 if options.smoke else 8)
    batch_size = 32 if options.smoke else 128
    steps_cap = 25 if options.smoke else None
    src_vocab = student.build_vocab([student.tokenize_source(s) for s, _target in splits["train"]])
    tgt_vocab = student.build_vocab([student.tokenize_target(t) for _source, t in splits["train"]])
    torch.manual_seed(options.seed)
    model = student.Seq2SeqTransformer(len(src_vocab), len(tgt_vocab)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3 if options.smoke else 5e-4)
    history = {"train_loss": [], "valid_bleu": [], "valid_exact": []}
    start_epoch = 0
    saved = report.load_checkpoint()
    if saved is not None:
        if saved.get("src_vocab") != src_vocab or saved.get("tgt_vocab") != tgt_vocab:
            raise RunProblem(_("{path} was trained on other data; pass another --out or delete it.").format(
                path=report.checkpoint))
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        history, start_epoch = saved["history"], saved["epoch"]
        report.say(_("Resuming from {path} after epoch {epoch} of {epochs}.").format(
            path=report.checkpoint, epoch=start_epoch, epochs=epochs))
    generator = torch.Generator().manual_seed(options.seed)
    for _step in range(start_epoch):  # the same shuffles as an uninterrupted run
        torch.randperm(len(splits["train"]), generator=generator)
    steps_per_epoch = -(-len(splits["train"]) // batch_size)
    if steps_cap:
        steps_per_epoch = min(steps_per_epoch, steps_cap)
    for epoch in range(start_epoch, epochs):
        model.train()
        losses = []
        with report.progress(_("epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=epochs),
                             total=steps_per_epoch) as step:
            for index, batch in enumerate(_batches(student, splits["train"], src_vocab, tgt_vocab, batch_size,
                                                   generator)):
                if index == steps_per_epoch:
                    break
                batch = {k: v.to(device) for k, v in batch.items()}
                loss = student.sequence_loss(model, batch, label_smoothing=0.1)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                losses.append(loss.item())
                step(loss=loss.item())
        hypotheses = _translate(student, model, splits["valid"], src_vocab, tgt_vocab, device)
        references = [t for _source, t in splits["valid"]]
        history["train_loss"].append(sum(losses) / len(losses))
        history["valid_bleu"].append(float(student.corpus_bleu(hypotheses, references)))
        history["valid_exact"].append(float(student.exact_match(hypotheses, references)))
        report.say(_("epoch {epoch}: loss {loss:.3f}, validation BLEU {bleu:.1f}, exact match {exact:.1%}").format(
            epoch=epoch + 1, loss=history["train_loss"][-1], bleu=history["valid_bleu"][-1],
            exact=history["valid_exact"][-1]))
        report.save_checkpoint({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                "epoch": epoch + 1, "history": history, "src_vocab": src_vocab,
                                "tgt_vocab": tgt_vocab})
    test = splits["test"]
    references = [t for _source, t in test]
    started = time.perf_counter()
    greedy = _translate(student, model, test, src_vocab, tgt_vocab, device)
    greedy_seconds = time.perf_counter() - started
    beam_pairs = test[:16] if options.smoke else test[:300]
    beam = _translate(student, model, beam_pairs, src_vocab, tgt_vocab, device, beam_size=4)
    for (source, target), hypothesis in list(zip(test, greedy))[:6]:
        report.say(_("  {source}  ->  {hypothesis}   (reference: {target})").format(
            source=source, hypothesis=hypothesis, target=target))
    curve = report.plot("training_curve", {"train loss": history["train_loss"]}, "epoch", "loss")
    scores = report.plot("validation_bleu", {"valid BLEU": history["valid_bleu"],
                                             "valid exact match x100": [100 * e for e in history["valid_exact"]]},
                         "epoch", "score")
    return {"epochs": len(history["train_loss"]),
            "train_loss": round(history["train_loss"][-1], 4),
            "test_bleu_greedy": round(float(student.corpus_bleu(greedy, references)), 2),
            "test_exact_greedy": round(float(student.exact_match(greedy, references)), 4),
            f"test_bleu_beam4_first{len(beam_pairs)}": round(float(student.corpus_bleu(
                beam, [t for _source, t in beam_pairs])), 2),
            f"test_exact_beam4_first{len(beam_pairs)}": round(float(student.exact_match(
                beam, [t for _source, t in beam_pairs])), 4),
            "greedy_seconds": round(greedy_seconds, 2),
            "training_curve": str(curve), "validation_plot": str(scores)}
