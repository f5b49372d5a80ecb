"""Puts each example's class under the key "target" instead of "labels": the Trainer drops the keys the model's
forward does not take, so the labels never reach the model and it returns no loss."""
CAUGHT_BY = "test_trainer_fine_tune_learns"
MESSAGE_MENTIONS = "labels"
MESSAGE_MENTIONS_KO = "'labels': label"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=60, lr=3e-3, batch_size=16, seed=0,
                      logging_steps=5):
    dataset = [dict(tokenizer(text), target=label) for text, label in zip(texts, labels)]
    args = TrainingArguments(output_dir=output_dir, max_steps=steps, learning_rate=lr,
                             per_device_train_batch_size=batch_size, seed=seed, logging_steps=logging_steps,
                             save_strategy="no", report_to="none", use_cpu=not torch.cuda.is_available())
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=DataCollatorWithPadding(tokenizer),
                      processing_class=tokenizer)
    trainer.train()
    trainer.save_model()
    return model.eval(), trainer.state.log_history
