"""A worker prepares itself once, before its pool starts: the similarity check's dictionaries
loaded, and what start-up built set aside from the garbage collector, so that no search pays
for walking it."""

import gc
import sys

from celery.signals import worker_init

from reviews.receivers import prepare_worker


def test_the_worker_start_loads_the_dictionaries_and_sets_start_up_objects_aside():
    connected = [key[0] for key, _receiver in worker_init.receivers]
    gc.unfreeze()
    try:
        prepare_worker()

        frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())
    finally:
        gc.unfreeze()
    assert "reviews.prepare_worker" in connected
    assert "pypinyin" in sys.modules
    # Everything alive at that moment, pypinyin's dictionaries among it, is set aside: the
    # collector tracks next to nothing of it any more.
    assert frozen > 100_000
    assert tracked < frozen / 10
