/**
 * coCondenser pre-training (Gao and Callan 2021, 2022): the Condenser head that forces the [CLS] vector to carry the
 * passage ({@link dev.quarry.condenser.CondenserModel}), span sampling and masking, the corpus-level span contrastive
 * loss with gradient caching ({@link dev.quarry.condenser.CondenserStep}), the {@code pretrain} config and trainer.
 * Fine-tuning the pre-trained backbone is DPR's recipe. May import {@code train}, {@code config}, {@code data},
 * {@code io}, {@code loss}, {@code model}, {@code random}.
 */
package dev.quarry.condenser;
