"""Leaves learning_rate out of TrainingArguments: the Trainer uses its default 5e-5, far too small for a model
trained from random weights in 80 steps, so the loss barely moves."""
CAUGHT_BY = "test_trainer_fine_tune_learns"
MESSAGE_MENTIONS = "learning_rate"
MESSAGE_MENTIONS_KO = "learning_rate"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=60, lr=3e-3, batch_size=16, seed=0,
                      logging_steps=5):
    dataset = [dict(tokenizer(text), labels=label) for text, label in zip(texts, labels)]
    args = TrainingArguments(output_dir=output_dir, max_steps=steps, per_device_train_batch_size=batch_size, seed=seed,
                             logging_steps=logging_steps, save_strategy="no", report_to="none",
                             use_cpu=not torch.cuda.is_available())
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=DataCollatorWithPadding(tokenizer),
                      processing_class=tokenizer)
    trainer.train()
    trainer.save_model()
    return model.eval(), trainer.state.log_history
