"""The regions of a SAM template that cors-deploy generates, between their BEGIN and END lines."""

from .cfn import load_yaml
from .report import check
from .shared import BEGIN, END


def generated_regions(where, text, label=None, count=1):
    """The regions strictly between the (trimmed) lines `# BEGIN ... do not edit[ (label)]` and
    `# END ...[ (label)]`, each as (indent, lines without it), checked to be delimited, `count` of them."""
    begin = BEGIN + (f" ({label})" if label else "")
    end = END + (f" ({label})" if label else "")
    lines = text.split("\n")
    begins = [i for i, line in enumerate(lines) if line.strip() == begin]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if not check(
        len(begins) == count and len(ends) == count,
        f"{where}: expected {count} `{begin}` and {count} `{end}` line(s), found {len(begins)} and {len(ends)}",
    ):
        return []
    regions = []
    for first, last in zip(begins, ends, strict=True):
        if not check(
            first < last - 1 and not any(first < b < last for b in begins),
            f"{where}: each `{begin}` must be followed by a non-empty region and its `{end}`",
        ):
            continue
        indent = len(lines[first]) - len(lines[first].lstrip())
        check(
            len(lines[last]) - len(lines[last].lstrip()) == indent,
            f"{where}: the BEGIN and END markers must be indented alike",
        )
        region = lines[first + 1 : last]
        for line in region:
            check(
                line.startswith(" " * indent) and not line.lstrip().startswith("#"),
                f"{where}: generated line {line!r} is not indented under its BEGIN marker, or is a comment",
            )
        regions.append((indent, [line[indent:] for line in region]))
    return regions


def list_item_region(where, region):
    """A region holding one YAML list item (an !If's true branch): its mapping."""
    check(
        region[0].startswith("- ") and all(line.startswith("  ") for line in region[1:]),
        f"{where}: the generated region must be one YAML list item (the !If's true branch)",
    )
    value = load_yaml("\n".join(region))
    if check(
        isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict),
        f"{where}: the generated region must hold one mapping",
    ):
        return value[0]
    return None
