"""optlib.tune: Optuna on chapter 10's MLP, batched ask-and-tell, workers sharing one study.

The budgets are tiny (a few epochs on a part of the digits) so that the whole file runs in
seconds; the studies live in SQLite files under ``tmp_path``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import optuna
import pytest
from optuna.trial import TrialState

from optlib import tune

ROOT = Path(__file__).resolve().parents[1]
TINY = tune.Task(epochs=3, n_train=200)
SPACE = tune.make_space()


def command(*args: str, **popen) -> subprocess.Popen:
    env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "optlib.tune", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def load(url: str, name: str = tune.DEFAULT_STUDY) -> optuna.Study:
    return optuna.load_study(study_name=name, storage=tune.open_storage(url))


def by_state(study: optuna.Study) -> dict[TrialState, list]:
    out: dict[TrialState, list] = {}
    for t in study.get_trials():
        out.setdefault(t.state, []).append(t)
    return out


def test_batched_ask_and_tell_gives_each_trial_its_value_alone():
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    tune.optimize_batched(study, TINY, SPACE, n_trials=5, batch=3)  # batches of 3 and 2
    trials = study.get_trials()
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 5
    assert [tune.epochs_spent(t) for t in trials] == [TINY.epochs] * 5
    for t in trials:
        alone = TINY.scores(**{k: np.array([v]) for k, v in t.params.items()})
        np.testing.assert_allclose(t.value, alone[0], rtol=1e-9)
    # and the per-trial objective of study.optimize agrees with both
    solo = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    solo.optimize(tune.objective(TINY, SPACE), n_trials=5)
    np.testing.assert_allclose([t.value for t in solo.trials], [t.value for t in trials], rtol=1e-9)
    # the values differ between trials, so the comparison above can fail
    assert len({round(t.value, 6) for t in trials}) == 5


def test_a_score_is_the_mean_over_seeds_and_a_diverged_run_scores_as_guessing():
    per_seed = TINY.seed_scores(
        np.array([0.05, 50.0]), np.array([1e-4, 1e-4]), np.array([0.9, 0.9])
    )
    assert per_seed.shape == (2, 3)
    assert np.ptp(per_seed[0]) > 0  # three seeds, three different runs
    np.testing.assert_allclose(per_seed[1], tune.GUESS_LOSS)  # lr = 50 diverges
    np.testing.assert_allclose(
        TINY.scores(np.array([0.05]), np.array([1e-4]), np.array([0.9])), per_seed[0].mean()
    )


def test_a_pruned_trial_is_recorded_as_pruned():
    pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1), pruner=pruner)
    study.optimize(tune.objective(TINY, SPACE), n_trials=8)
    pruned = study.get_trials(states=(TrialState.PRUNED,))
    complete = study.get_trials(states=(TrialState.COMPLETE,))
    assert pruned and complete
    assert all(tune.epochs_spent(t) < TINY.epochs for t in pruned)
    assert all(tune.epochs_spent(t) == TINY.epochs for t in complete)


def test_an_epoch_budget_stops_the_study_once_spent():
    pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1), pruner=pruner)
    study.optimize(tune.objective(TINY, SPACE), callbacks=[tune.EpochBudget(20)])
    spent = np.cumsum([tune.epochs_spent(t) for t in study.trials])
    assert spent[-1] >= 20 > spent[-2]  # stopped by the trial that reached the budget


def test_two_workers_on_one_sqlite_file_finish_exactly_t_trials(tmp_path):
    url, n_trials = f"sqlite:///{tmp_path / 'study.db'}", 10
    csv = tmp_path / "trials.csv"
    args = ("--workers", "2", "--storage", url, "--trials", str(n_trials), "--epochs", "2")
    proc = command(*args, "--train-size", "200", "--export", str(csv), cwd=tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    states = by_state(load(url))
    finished = states.get(TrialState.COMPLETE, []) + states.get(TrialState.PRUNED, [])
    assert len(finished) == n_trials
    # no trial lost: every other trial is a surplus one (two workers asking at once)
    others = [t for s, ts in states.items() if s not in tune.FINISHED for t in ts]
    assert all(t.state == TrialState.FAIL and t.user_attrs.get("surplus") for t in others)
    # no trial duplicated: distinct numbers and configurations, from both workers' samplers
    assert len({t.number for t in finished}) == n_trials
    assert len({tuple(sorted(t.params.items())) for t in finished}) == n_trials
    assert "best: trial" in out and f"{n_trials}/{n_trials} trials finished" in out
    frame = tune.trials_frame(url)
    assert len(frame) == len(load(url).trials) and {"params_lr", "epochs", "state"} <= set(frame)
    assert csv.read_text().count("\n") == len(frame) + 1


def test_a_killed_worker_loses_at_most_its_trial_and_the_study_resumes(tmp_path):
    url, n_trials = f"sqlite:///{tmp_path / 'study.db'}", 6
    args = ("--storage", url, "--trials", str(n_trials), "--epochs", "40", "--pruner", "none")
    worker = command(*args, "--heartbeat", "1", cwd=tmp_path, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:  # wait until 2 trials are complete and the third is running
        assert time.monotonic() < deadline and worker.poll() is None, worker.stderr
        time.sleep(0.1)
        try:
            states = by_state(load(url))
        except (ValueError, KeyError):
            continue  # the study is not created yet
        running = states.get(TrialState.RUNNING, [])
        # A trial is RUNNING a moment before its parameters are sampled: wait for all three.
        if (
            len(states.get(TrialState.COMPLETE, [])) >= 2
            and running
            and len(running[0].params) == 3
        ):
            break
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    states = by_state(load(url))
    kept = {t.number: t.value for t in states[TrialState.COMPLETE]}
    (killed,) = states[TrialState.RUNNING]
    assert len(kept) < n_trials
    time.sleep(2.5)  # the killed trial's heartbeat is now older than the grace period (2 s)

    resumed = command(*args, "--heartbeat", "1", cwd=tmp_path)
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    study = load(url)
    states = by_state(study)
    assert len(states[TrialState.COMPLETE]) == n_trials  # the same study, completed
    assert {t.number: t.value for t in states[TrialState.COMPLETE] if t.number in kept} == kept
    # only the killed trial was lost, and its configuration was run again
    assert [t.number for t in states[TrialState.FAIL]] == [killed.number]
    assert killed.params in [t.params for t in states[TrialState.COMPLETE]]


def test_ctrl_c_stops_the_workers_and_keeps_the_finished_trials(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    args = ("--storage", url, "--trials", "50", "--epochs", "40", "--workers", "1")
    proc = command(*args, "--pruner", "none", cwd=tmp_path, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
        try:
            if load(url).get_trials(states=(TrialState.COMPLETE,)):
                break
        except (ValueError, KeyError):
            continue
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped by Ctrl-C" in out and "Traceback" not in err
    states = by_state(load(url))
    assert states[TrialState.COMPLETE] and TrialState.RUNNING not in states


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: tune.open_storage("not a url"), r"storage 'not a url' is not a database URL"),
        (
            lambda: tune.open_storage("postgresql://me:secret@localhost:1/none"),
            r"storage 'postgresql://me:\*\*\*@localhost:1/none' could not be opened",
        ),
        (lambda: tune.open_storage("sqlite://"), "in-memory SQLite"),
        (lambda: tune.make_space(lr=(0.1, 0.1)), "range of lr is invalid"),
        (lambda: tune.make_space(weight_decay=(0.0, 1e-2)), "range of weight_decay is invalid"),
        (lambda: tune.make_space(momentum=(0.5, 1.5)), r"momentum must lie in \[0, 1\)"),
        (lambda: tune.Task(epochs=0), r"epochs must be an integer in \[1, inf\)"),
        (lambda: tune.make_pruner("median", 3), "pruner must be"),
    ],
)
def test_bad_storage_and_empty_ranges_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_command_reports_a_bad_storage_url_and_an_empty_range(tmp_path, monkeypatch, capsys):
    from optlib.tune.__main__ import main

    monkeypatch.chdir(tmp_path)
    assert main(["--storage", "nowhere", "--trials", "2"]) == 2
    assert "error: storage 'nowhere' is not a database URL" in capsys.readouterr().err
    assert main(["--momentum", "0.5", "0.5", "--trials", "2"]) == 2
    assert "error: search space: the range of momentum is invalid" in capsys.readouterr().err
    assert not (tmp_path / "optlib-tune.db").exists()
