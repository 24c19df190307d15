"""Progress bars for long drivers: tqdm, shown only when a loop lasts more than 3 s."""


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def progress_bar(enabled, total, initial=0, **options):
    """A tqdm bar (``options`` go to tqdm) or, when ``enabled`` is false, a silent stand-in."""
    if not enabled:
        return _NoBar()
    from tqdm.auto import tqdm
    return tqdm(total=total, initial=initial, delay=3, mininterval=2.0, **options)
