"""Does the NIK index answer as the whole store does? (Used by the storage, kill and full-disk tests.)"""

import random

from appliance.residents.store import ResidentStore
from appliance.storage import key_index


def agrees(home, sample: int = 60, seed: int = 1) -> bool:
    """A lazy store answers every sampled NIK (and an unknown one) exactly as the whole store does."""
    whole = ResidentStore.open(home)
    niks = sorted(whole.rows())
    niks = random.Random(seed).sample(niks, min(sample, len(niks))) + ["3404139999999999"]
    for nik in niks:
        lazy = ResidentStore.open(home, lazy=True)
        if lazy.get(nik) != whole.get(nik):
            return False
    return True


def index_in_use(home) -> bool:
    store = ResidentStore.open(home)
    nik = next(iter(store.rows()))
    return key_index.lookup(store.index_path, store.path, nik, 0) is not key_index.UNUSABLE
