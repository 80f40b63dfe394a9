"""rnnbook: the numpy package behind the interactive textbook on recurrent networks.

Every algorithm the book derives lives here once. Arrays are batch-first row vectors
with the letters N (batch), T (time), D (input), H (hidden), V (output/vocabulary).
"""
from .activations import ACTIVATIONS, activation, activation_grad, identity, relu, sigmoid, tanh
from .gradcheck import directional_check, numerical_gradient, rel_error
from .losses import (cross_entropy, log_softmax, mse, softmax, temporal_cross_entropy,
                     temporal_mse)

from .mlp import init_mlp, mlp_backward, mlp_forward
from .optim import SGD, Adagrad, Adam, clip_by_global_norm, clip_by_value, global_norm
from .rnn import (RNNCache, RNNStepCache, rnn_backward, rnn_forward, rnn_step_backward,
                  rnn_step_forward)
from .jordan import JordanCache, jordan_backward, jordan_forward
from .layers import AffineCache, affine_backward, affine_forward, temporal_softmax_loss
from .train import train
from .context import (context_loss_and_grads, context_predict, init_context_net, recall_run,
                      recall_with_wait)
from .sequences import causal_conv1d, input_sensitivity, ngram_counts
from . import context, diagrams, plotting, sequences, tasks
from .tbptt import (TBPTTWindow, elman_loss_and_grads, tbptt_gradients, tbptt_train,
                    tbptt_windows)
from .artbp import artbp_backward, artbp_cuts, artbp_gradients, artbp_train
from .dynamics import (GAMMA, gradient_norms, jacobian_norms, jacobian_product,
                       largest_singular_value, non_normal, pascanu_bound, power_norms,
                       product_norms, scaled_gaussian, scaled_orthogonal, spectral_radius,
                       step_jacobians)
from .esn import (echo_state_distance, esn_fit, esn_init, esn_predict, esn_states, nrmse,
                  ridge_readout)
from .init import glorot_uniform, init_rnn_params, orthogonal
from .leaky import leaky_rnn_backward, leaky_rnn_forward
from .remedies import adding_loss_and_grads, adding_predict, train_adding
from .skip import skip_rnn_backward, skip_rnn_forward
from .tasks import (ADDING_SUCCESS_THRESHOLD, adding_constant_baseline, adding_problem,
                    delayed_recall, narma10, temporal_order)
from .lstm import (LSTMCache, LSTMStepCache, lstm_backward, lstm_backward_all, lstm_forward,
                   lstm_init, lstm_param_count, lstm_step_backward, lstm_step_forward)
from .gru import (GRU_FORMULATIONS, GRUCache, GRUStepCache, gru_backward, gru_forward,
                  gru_init, gru_param_count, gru_step_backward, gru_step_forward)
from . import longrange, memory, models   # rb.models.init_params / forward_backward, ...
from .models import param_count
from .corpus import grammar_corpus
from .text import (Vocabulary, bits_per_character, one_hot, perplexity, sample_next,
                   softmax_temperature, start_end_pairs, tbptt_batches)
from .cells import cell_init, cell_param_count
from .registry import (ALL_CELLS, CellCache, CellGrads, cell_backward, cell_forward,
                       final_state)
from . import registry
from .bidirectional import BiCache, BiGrads, bidirectional_backward, bidirectional_forward
from .deep import DeepCache, DeepGrads, deep_backward, deep_forward, deep_init
from .lm import (lm_evaluate, lm_hidden_for_budget, lm_init, lm_loss_and_grads,
                 lm_next_probs, lm_param_count, lm_sample, train_lm)
from .seq2seq import (reverse_task, seq2seq_greedy, seq2seq_init,
                      seq2seq_loss_and_grads)

__version__ = "0.1.0"
