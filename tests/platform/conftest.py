from tests.rounds.fixtures import round_bt, world  # noqa: F401  (fixtures)
