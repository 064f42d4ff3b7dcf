r"""Exercise ``ex-rnn-param-count`` (computation): parameter counts of torch's recurrent layers."""

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

d, n = 10, 128

RNN = n * (d + n) + 2 * n  # 17 920
LSTM = 4 * (n * (d + n) + 2 * n)  # 71 680
GRU = 3 * (n * (d + n) + 2 * n)  # 53 760
LSTM_THETA = 4 * n * (d + n + 1)  # 71 168: one bias vector

EXERCISE = Compute(
    id="ex-rnn-param-count",
    title="Counting parameters",
    answers=(
        Answer("rnn", RNN, "trainable scalars of torch.nn.RNN(10, 128)"),
        Answer("lstm", LSTM, "trainable scalars of torch.nn.LSTM(10, 128)"),
        Answer("gru", GRU, "trainable scalars of torch.nn.GRU(10, 128)"),
        Answer("lstm_theta", LSTM_THETA, "dim Theta of the LSTM of Definition def-rnn-lstm"),
    ),
    hint=r"""Each block (one for the RNN, four for the LSTM, three for the GRU) has an n x d input matrix,
an n x n recurrent matrix and, in torch, two bias vectors of length n (bias_ih and bias_hh).""",
    solution=r"""RNN: 128*138 + 2*128 = 17 920. LSTM: 4 (128*138 + 256) = 71 680.
GRU: 3 (128*138 + 256) = 53 760. With one bias vector the LSTM has 4n(d + n + 1) = 71 168; the
4n = 512 extra scalars of torch are redundant (only their sum enters), unlike the GRU's b_hn.""",
    mistakes=(
        Mistake("lstm", 4 * n * (d + n + 1), "counted one bias vector; torch stores two"),
        Mistake("lstm", 4 * n * (d + n), "forgot the biases"),
        Mistake("gru", 3 * n * (d + n + 1), "counted one bias vector; torch stores two"),
        Mistake("rnn", n * (d + n + 1), "counted one bias vector; torch stores two"),
    ),
    wrong=(
        WrongAnswers(
            {"rnn": RNN, "lstm": LSTM_THETA, "gru": GRU, "lstm_theta": LSTM_THETA},
            "one bias for torch's LSTM",
            answer("lstm"),
            "two",
        ),
        WrongAnswers(
            {"rnn": RNN, "lstm": LSTM, "gru": 3 * n * (d + n), "lstm_theta": LSTM_THETA},
            "no biases in the GRU",
            answer("gru"),
            "",
        ),
        WrongAnswers(
            {"rnn": RNN, "lstm": LSTM, "gru": GRU, "lstm_theta": LSTM},
            "two biases in Theta",
            answer("lstm_theta"),
            "",
        ),
    ),
)
