"""The problems found, collected so that one run reports all of them."""

_errors: list[str] = []


def check(condition: object, message: str) -> bool:
    """Records `message` as a problem unless `condition` holds; returns whether it holds."""
    if not condition:
        _errors.append(message)
    return bool(condition)


def errors() -> list[str]:
    """The problems recorded so far, in order."""
    return list(_errors)


def reset() -> None:
    """Forgets every problem recorded (between tests)."""
    _errors.clear()
