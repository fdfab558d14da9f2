r"""Tuning chapter 10's network with Optuna: one notebook, or many workers on one study.

The model is chapter 10's MLP on the digits (64 → 64 → 10, ReLU), trained with SGD and
momentum on mini-batches. Three hyperparameters are tuned: the learning rate α and the
weight decay :math:`\lambda_{\mathrm{wd}}` (both on a log scale) and the momentum
coefficient ρ.

* A **configuration is scored** by :class:`Task` as its validation cross-entropy after the
  last epoch, averaged over several training seeds (each seed its own initialisation and
  batch order), so that the score measures the hyperparameters, not the luck of one run.
  A run that diverges, or does worse than guessing, scores :math:`\ln 10`, the loss of the
  uniform guess.
* :func:`objective` is the function for ``study.optimize``: it reports the score after
  every epoch (``trial.report``), so a pruner (successive halving, Hyperband) can stop a
  poor trial early.
* :func:`optimize_batched` uses Optuna's ask-and-tell interface: it asks for ``K`` trials,
  trains the ``K × seeds`` networks as one batched optlib run, and tells each trial its
  score, which is the score that trial gets when evaluated alone.
* :func:`run` (the command ``python -m optlib.tune``) starts ``N`` worker processes that
  share one study through Optuna's storage: an SQLite file by default, or any SQLAlchemy
  URL (PostgreSQL, MySQL) for workers on several machines.
"""

from __future__ import annotations

import functools
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

with warnings.catch_warnings():  # tqdm, imported by optuna, warns when ipywidgets is missing
    warnings.filterwarnings("ignore", message="IProgress not found")
    import optuna
from optuna.trial import TrialState

import optlib

from .. import search
from ..data import load_digits
from ..models import MLP, train

DEFAULT_STORAGE = "sqlite:///optlib-tune.db"
DEFAULT_STUDY = "mlp-digits"
#: The loss of guessing every class with probability 1/10: the score of a diverged run.
GUESS_LOSS = math.log(10)
#: States of the trials that count towards the study's budget of trials.
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)

Space = Mapping[str, search.Range]


def make_space(
    lr: tuple[float, float] = (1e-3, 1.0),
    weight_decay: tuple[float, float] = (1e-6, 1e-1),
    momentum: tuple[float, float] = (0.0, 0.99),
) -> dict[str, search.Range]:
    """The search space: ``lr`` and ``weight_decay`` log-uniform, ``momentum`` uniform.

    Each argument is ``(low, high)``; an empty or invalid range raises ``ValueError``
    naming the hyperparameter.
    """
    space = {}
    for name, bounds, make in (
        ("lr", lr, search.log_uniform),
        ("weight_decay", weight_decay, search.log_uniform),
        ("momentum", momentum, search.uniform),
    ):
        try:
            low, high = (float(b) for b in bounds)
            space[name] = make(low, high)
        except (TypeError, ValueError) as err:
            raise ValueError(f"search space: the range of {name} is invalid: {err}") from err
    if not space["momentum"].low >= 0 or not space["momentum"].high < 1:
        raise ValueError(
            f"search space: momentum must lie in [0, 1); got [{momentum[0]!r}, {momentum[1]!r}]"
        )
    return space


def distributions(space: Space) -> dict[str, optuna.distributions.FloatDistribution]:
    """Optuna's distributions for ``space`` (log where the range is log-uniform)."""
    return {
        name: optuna.distributions.FloatDistribution(r.low, r.high, log=r.log)
        for name, r in space.items()
    }


@functools.cache
def _digits(data_seed: int):
    return load_digits(seed=data_seed)


def epoch_seed(seed: int, epoch: int) -> int:
    """The batch-order seed of ``epoch`` (from 0) of training seed ``seed``."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


@dataclass(frozen=True)
class Task:
    """Chapter 10's MLP on the digits, and how one configuration is scored.

    ``n_train`` keeps only the first images of the training split (``None``: all 1077);
    the score is always measured on the whole validation split (360 images). ``hidden=None``
    gives softmax regression (chapter 9's first model) instead of the MLP. Network ``s``
    starts from ``MLP.init(s)`` for each ``s`` in ``seeds``; its epoch ``e`` draws its batch
    order from :func:`epoch_seed` ``(s, e)``.
    """

    epochs: int = 10
    batch_size: int = 64
    hidden: int | None = 64
    seeds: tuple[int, ...] = (0, 1, 2)
    n_train: int | None = None
    data_seed: int = 0

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "hidden"):
            value = getattr(self, name)
            if name == "hidden" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer in [1, inf); got {value!r}")
        if not self.seeds or len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"seeds must be distinct integers, at least one; got {self.seeds!r}")
        if self.n_train is not None and not 10 <= self.n_train <= 1077:
            raise ValueError(f"n_train must be in [10, 1077] or None; got {self.n_train!r}")
        if self.batch_size > (self.n_train or 1077):
            raise ValueError(
                f"batch_size must be at most the training set ({self.n_train or 1077}); "
                f"got {self.batch_size}"
            )

    @property
    def model(self) -> MLP:
        """The network: 64 → hidden → 10 with ReLU, or softmax regression (64 → 10) when
        ``hidden`` is ``None``."""
        return MLP([64, 10] if self.hidden is None else [64, self.hidden, 10], activation="relu")

    def networks(
        self, lr: np.ndarray, weight_decay: np.ndarray, momentum: np.ndarray
    ) -> Iterator[dict[str, np.ndarray]]:
        """Train ``K`` configurations (arrays of shape ``(K,)``), each with every seed, as one
        batched run of ``K × len(seeds)`` networks (network ``c``: configuration
        ``c // len(seeds)``, seed ``c % len(seeds)``); yield the parameters after each epoch."""
        hyper = [np.atleast_1d(np.asarray(v, dtype=float)) for v in (lr, weight_decay, momentum)]
        K, S = len(hyper[0]), len(self.seeds)
        if any(h.shape != (K,) for h in hyper):
            raise ValueError(
                f"lr, weight_decay and momentum must have one shape (K,); got "
                f"{[h.shape for h in hyper]}"
            )
        lr, weight_decay, momentum = (np.repeat(h, S)[:, None, None] for h in hyper)
        seeds = list(self.seeds) * K
        digits = _digits(self.data_seed)
        X, y = digits.train.X[: self.n_train], digits.train.y[: self.n_train]
        model = self.model
        params = model.init(seeds)
        opt = optlib.Momentum(lr=lr, momentum=momentum, weight_decay=weight_decay)
        for epoch in range(self.epochs):
            orders = [epoch_seed(s, epoch) for s in seeds]
            train(model, params, opt, X, y, 1, self.batch_size, orders)
            yield params

    def curves(
        self, lr: np.ndarray, weight_decay: np.ndarray, momentum: np.ndarray
    ) -> Iterator[np.ndarray]:
        """After each epoch of :meth:`networks`, the validation loss of every network, shape
        ``(K, len(seeds))``, capped at :data:`GUESS_LOSS` (a diverged run scores that)."""
        digits, model = _digits(self.data_seed), self.model
        for params in self.networks(lr, weight_decay, momentum):
            with np.errstate(all="ignore"):
                loss = model.loss(params, digits.val.X, digits.val.y)
            capped = np.where(np.isfinite(loss), np.minimum(loss, GUESS_LOSS), GUESS_LOSS)
            yield capped.reshape(-1, len(self.seeds))

    def seed_scores(self, lr, weight_decay, momentum) -> np.ndarray:
        """The final validation loss of each configuration and seed, shape ``(K, seeds)``."""
        *_, last = self.curves(lr, weight_decay, momentum)
        return last

    def scores(self, lr, weight_decay, momentum) -> np.ndarray:
        """The score of each configuration, its mean over seeds, shape ``(K,)``: a batched
        objective for :mod:`optlib.search`."""
        return self.seed_scores(lr, weight_decay, momentum).mean(axis=1)


# -- Optuna -----------------------------------------------------------------------------------
def suggest(trial: optuna.Trial, space: Space) -> dict[str, float]:
    """The trial's configuration, drawn from ``space`` by the study's sampler."""
    return {name: trial.suggest_float(name, r.low, r.high, log=r.log) for name, r in space.items()}


def objective(
    task: Task, space: Space, n_trials: int | None = None, stop: threading.Event | None = None
) -> Callable:
    """The objective for ``study.optimize``: train one configuration (its seeds batched),
    ``trial.report`` its score after every epoch and stop early when the pruner says so.

    With ``n_trials``, a trial started when ``n_trials`` others are already finished or
    running is surplus (it can happen when several workers start a trial at the same moment):
    it stops the worker and is recorded as failed with the user attribute ``surplus``, so
    exactly ``n_trials`` trials finish in total.

    With ``stop``, the trial raises ``KeyboardInterrupt`` at its start or after an epoch
    once ``stop`` is set (a worker's Ctrl-C), so Optuna records it as failed, never leaving
    it running.
    """

    def interrupted() -> None:
        if stop is not None and stop.is_set():
            raise KeyboardInterrupt

    def run(trial: optuna.Trial) -> float:
        interrupted()
        if n_trials is not None:
            _claim_place(trial, n_trials)
        hp = suggest(trial, space)
        for epoch, losses in enumerate(task.curves(**hp), 1):
            interrupted()
            value = float(losses.mean())
            trial.report(value, epoch)
            if epoch < task.epochs and trial.should_prune():  # a finished run is kept
                raise optuna.TrialPruned(f"pruned after epoch {epoch}: score {value:.4g}")
        return value

    return run


class Surplus(Exception):
    """A trial beyond the study's budget; it is recorded as failed and the worker stops."""


def _claim_place(trial: optuna.Trial, n_trials: int) -> None:
    counted = trial.study.get_trials(
        deepcopy=False, states=(*FINISHED, TrialState.RUNNING, TrialState.WAITING)
    )
    ahead = sum(t.number < trial.number for t in counted)
    if ahead >= n_trials:
        trial.set_user_attr("surplus", True)
        trial.study.stop()
        raise Surplus(f"trial {trial.number}: the study already has its {n_trials} trials")


def optimize_batched(
    studies: optuna.Study | Sequence[optuna.Study],
    task: Task,
    space: Space,
    n_trials: int,
    batch: int,
) -> None:
    """Ask-and-tell in batches: ask ``batch`` trials (of each study), train them all as one
    batched run of ``batch × len(task.seeds)`` networks (per study), report each trial's
    score after every epoch and tell it its final score; until every study has been told
    ``n_trials`` trials. (Nothing is pruned: the batch trains to the end.)

    Each trial gets exactly the score it would get alone (:meth:`Task.scores` of one
    configuration). The sampler proposes a batch before seeing its results: with TPE,
    ``constant_liar=True`` (Optuna's default) keeps the trials of one batch apart. Several
    independent studies (the repeats of an experiment) share each batched run.
    """
    studies = [studies] if isinstance(studies, optuna.Study) else list(studies)
    search._check_count("n_trials", n_trials)
    search._check_count("batch", batch)
    dists = distributions(space)
    told = 0
    while told < n_trials:
        k = min(batch, n_trials - told)
        trials = [study.ask(dists) for study in studies for _ in range(k)]
        columns = {name: np.array([t.params[name] for t in trials]) for name in space}
        for epoch, losses in enumerate(task.curves(**columns), 1):
            values = losses.mean(axis=1)
            for trial, value in zip(trials, values, strict=True):
                trial.report(float(value), epoch)  # as the objective does: epochs are counted
        for i, (trial, value) in enumerate(zip(trials, values, strict=True)):
            studies[i // k].tell(trial, float(value))
        told += k


def epochs_spent(trial: optuna.trial.FrozenTrial) -> int:
    """The training epochs a finished trial used: one per reported value."""
    return len(trial.intermediate_values)


class EpochBudget:
    """A ``study.optimize`` callback that stops the study once its finished trials have
    spent ``epochs`` training epochs in total (a pruned trial counts the epochs it ran), so
    that searches with and without pruning get the same budget."""

    def __init__(self, epochs: int) -> None:
        search._check_count("epochs", epochs)
        self.epochs = epochs

    def __call__(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        spent = sum(epochs_spent(t) for t in study.get_trials(deepcopy=False, states=FINISHED))
        if spent >= self.epochs:
            study.stop()


# -- storage, workers and the command ----------------------------------------------------------
def open_storage(url: str, heartbeat: int | None = None) -> optuna.storages.RDBStorage:
    """Optuna's database storage at the SQLAlchemy ``url``; ``ValueError`` naming the URL
    (password hidden) when it is not a database URL or cannot be opened.

    With ``heartbeat`` (seconds), every running trial updates a heartbeat; a trial whose
    worker died (no heartbeat for ``2 × heartbeat`` s) is marked failed when another worker
    starts a trial, and its configuration is queued once more.
    """
    import sqlalchemy

    try:
        parsed = sqlalchemy.engine.make_url(url)
    except Exception as err:  # sqlalchemy raises ArgumentError, or TypeError for a non-string
        raise ValueError(
            f"storage {url!r} is not a database URL; give a SQLAlchemy URL such as "
            f"{DEFAULT_STORAGE} or postgresql://user:password@host:5432/dbname"
        ) from err
    shown = parsed.render_as_string(hide_password=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database in (None, "", ":memory:"):
        raise ValueError(
            f"storage {shown!r}: an in-memory SQLite database cannot be shared by workers; "
            f"give a file, such as {DEFAULT_STORAGE}"
        )
    engine = {"connect_args": {"timeout": 60}} if sqlite else {"pool_pre_ping": True}
    options = {}
    try:
        with warnings.catch_warnings():  # the heartbeat is "experimental" since Optuna 2.8
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            if heartbeat is not None:
                options = dict(
                    heartbeat_interval=heartbeat,
                    grace_period=2 * heartbeat,
                    heartbeat_stale_trial_callback=optuna.storages.RetryHeartbeatStaleTrialCallback(
                        max_retry=1
                    ),
                )
            return optuna.storages.RDBStorage(url, engine_kwargs=engine, **options)
    except Exception as err:
        raise ValueError(
            f"storage {shown!r} could not be opened: {type(err).__name__}: {err}"
        ) from err


def make_sampler(name: str, seed: int) -> optuna.samplers.BaseSampler:
    """``"tpe"`` (Optuna's default) or ``"random"``, seeded."""
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"sampler must be 'tpe' or 'random'; got {name!r}")


def make_pruner(name: str, epochs: int) -> optuna.pruners.BasePruner:
    """``"halving"`` (successive halving, rungs at epochs 1, 3, 9, …, keeping a third),
    ``"hyperband"`` (several such brackets) or ``"none"``."""
    if name == "halving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=1, max_resource=epochs, reduction_factor=3
        )
    if name == "none":
        return optuna.pruners.NopPruner()
    raise ValueError(f"pruner must be 'halving', 'hyperband' or 'none'; got {name!r}")


@dataclass(frozen=True)
class Study:
    """Everything a worker needs to join the study (picklable, for worker processes)."""

    storage: str
    name: str
    n_trials: int
    task: Task
    space: dict
    sampler: str = "tpe"
    pruner: str = "halving"
    seed: int = 0
    heartbeat: int | None = 10

    def settings(self) -> dict:
        """What defines the study; a resumed study must have the same."""
        return {
            "task": asdict(self.task) | {"seeds": list(self.task.seeds)},
            "space": {k: [r.low, r.high, r.log] for k, r in self.space.items()},
            "pruner": self.pruner,
        }

    def open(self, worker: int = 0) -> optuna.Study:
        return optuna.load_study(
            study_name=self.name,
            storage=open_storage(self.storage, self.heartbeat),
            sampler=make_sampler(self.sampler, self.seed + worker),
            pruner=make_pruner(self.pruner, self.task.epochs),
        )


def create_or_resume(spec: Study) -> optuna.Study:
    """Create the study, or load it when it exists; ``ValueError`` when it exists with other
    settings (another task, space or pruner: use another ``--study`` name)."""
    search._check_count("n_trials", spec.n_trials)
    storage = open_storage(spec.storage, spec.heartbeat)
    study = optuna.create_study(
        study_name=spec.name, storage=storage, direction="minimize", load_if_exists=True
    )
    settings = spec.settings()
    stored = study.user_attrs.get("settings")
    if stored is None:
        study.set_user_attr("settings", settings)
    elif stored != settings:
        raise ValueError(
            f"study {spec.name!r} in this storage was created with other settings "
            f"({stored}); resume it with those, or choose another --study name"
        )
    return study


def work(spec: Study, worker: int = 0) -> None:
    """One worker: join the study and optimize until ``spec.n_trials`` trials are finished
    (complete or pruned) in total, counting every worker's. Ctrl-C stops it quietly."""
    from threadpoolctl import threadpool_limits

    # Ctrl-C only sets a flag that the objective reads: a KeyboardInterrupt raised while
    # Optuna creates a trial would leave that trial RUNNING in the storage for ever.
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    quiet = _QuietExpected()
    for handler in logging.getLogger("optuna").handlers:  # records come from child loggers
        handler.addFilter(quiet)
    study = spec.open(worker)
    _digits(spec.task.data_seed)  # load the data before the first trial's clock starts
    if spec.heartbeat:  # a dead worker's trial is not running any more
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(study)
    stop_at = StopWhenTaken(spec.n_trials)
    if stop_at.taken(study) or stop.is_set():
        return
    try:
        with threadpool_limits(1, user_api="blas"):  # small matrices: one thread each
            study.optimize(
                objective(spec.task, spec.space, spec.n_trials, stop),
                callbacks=[stop_at],
                catch=(Surplus,),
                gc_after_trial=False,
            )
    except KeyboardInterrupt:
        pass  # the running trial is recorded as failed; finished ones are kept


class StopWhenTaken:
    """Optuna's ``MaxTrialsCallback``, counting the trials other workers are running too:
    after each trial, stop this worker when the finished and running trials together reach
    ``n_trials``, so that no worker starts a trial the study does not need. (Queued trials,
    retries of a dead worker's trial, are not counted: a worker must stay to run them.)"""

    def __init__(self, n_trials: int) -> None:
        self.n_trials = n_trials

    def taken(self, study: optuna.Study) -> bool:
        return _count(study, (*FINISHED, TrialState.RUNNING)) >= self.n_trials

    def __call__(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        if self.taken(study):
            study.stop()


def _worker_main(spec: Study, worker: int) -> None:
    work(spec, worker)


def _count(study: optuna.Study, states: Sequence[TrialState]) -> int:
    return len(study.get_trials(deepcopy=False, states=tuple(states)))


def progress(study: optuna.Study, n_trials: int) -> str:
    """One line: trials finished (and pruned) out of the budget, running, the best value so
    far and the mean time per finished trial."""
    trials = study.get_trials(deepcopy=False)
    done = [t for t in trials if t.state in FINISHED]
    pruned = sum(t.state == TrialState.PRUNED for t in done)
    running = sum(t.state == TrialState.RUNNING for t in trials)
    complete = [t for t in done if t.state == TrialState.COMPLETE]
    line = f"{len(done)}/{n_trials} trials finished ({pruned} pruned), {running} running"
    if complete:
        top = min(complete, key=lambda t: t.value)
        line += f", best {top.value:.4f} (trial {top.number})"
    if done:
        seconds = np.mean([t.duration.total_seconds() for t in done])
        line += f", {seconds:.2f} s per trial"
    return line


def trials_frame(storage: str = DEFAULT_STORAGE, study: str = DEFAULT_STUDY) -> pd.DataFrame:
    """The study's trials as a pandas DataFrame: one row per trial, with its number, state,
    value, hyperparameters (``params_*``), epochs spent, start and duration."""
    loaded = optuna.load_study(study_name=study, storage=open_storage(storage))
    frame = loaded.trials_dataframe(
        attrs=("number", "state", "value", "params", "datetime_start", "duration", "user_attrs")
    )
    frame["epochs"] = [epochs_spent(t) for t in loaded.get_trials(deepcopy=False)]
    return frame


def run(
    spec: Study,
    workers: int = 1,
    export: str | None = None,
    poll: float = 1.0,
    echo: Callable[[str], None] = print,
) -> optuna.Study:
    """Run the study with ``workers`` processes on this machine, printing progress; at the
    end print the best configuration (and write the trials table to ``export``, a CSV path).

    Ctrl-C stops every worker; finished trials stay in the storage, and calling ``run``
    again with the same ``spec`` resumes the study.
    """
    search._check_count("workers", workers)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = create_or_resume(spec)
    start = time.perf_counter()
    where = _shown(spec.storage)
    echo(f"study {spec.name!r} in {where}: {spec.n_trials} trials, {workers} worker(s)")
    last = progress(study, spec.n_trials)
    echo(f"[{0.0:7.1f} s] {last}")
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=_worker_main, args=(spec, w), daemon=False) for w in range(workers)
    ]
    interrupted = False
    try:
        for p in procs:
            p.start()
        while any(p.is_alive() for p in procs):
            time.sleep(poll)
            last = _echo_if_new(echo, start, study, spec.n_trials, last)
    except KeyboardInterrupt:
        interrupted = True
        for p in procs:  # a Ctrl-C in a terminal reaches them too; a kill of this one doesn't
            if p.is_alive():
                os.kill(p.pid, signal.SIGINT)
    finally:
        for p in procs:
            p.join()
    for w, p in enumerate(procs):
        if p.exitcode not in (0, None) and not interrupted:
            echo(f"worker {w} stopped with an error (exit code {p.exitcode}); see above")
    _echo_if_new(echo, start, study, spec.n_trials, last)
    if interrupted:
        echo("stopped by Ctrl-C: the finished trials are kept; run the same command to resume")
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if complete:
        top = min(complete, key=lambda t: t.value)
        echo(
            f"best: trial {top.number}, validation loss {top.value:.4f}, "
            + ", ".join(f"{k} = {v:.3g}" for k, v in top.params.items())
        )
    if export:
        trials_frame(spec.storage, spec.name).to_csv(export, index=False)
        echo(f"trials table written to {export}")
    return study


def _echo_if_new(echo, start: float, study: optuna.Study, n_trials: int, last: str) -> str:
    """Print the progress line when the count of finished trials has changed."""
    line = progress(study, n_trials)
    if line.split(",")[0] != last.split(",")[0]:
        echo(f"[{time.perf_counter() - start:7.1f} s] {line}")
    return line


class _QuietExpected(logging.Filter):
    """Drop Optuna's warnings about trials that failed as expected: surplus trials (a race
    between workers, not an error) and the trial a Ctrl-C interrupted."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Trial "):
            return True
        number = message.split()[1]
        if "Surplus(" in message or "KeyboardInterrupt(" in message:
            self.numbers.add(number)
        return number not in self.numbers


def _shown(url: str) -> str:
    import sqlalchemy

    return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)
