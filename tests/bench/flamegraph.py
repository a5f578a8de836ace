#!/usr/bin/env python3
"""Turns the text of `perf script` into a flame graph (SVG) and a text summary.

    perf record -F 499 -g -p SERVER_PID -o server.data -- sleep 20
    perf script -i server.data | python3 tests/bench/flamegraph.py -o server.svg

The stacks are folded as FlameGraph's stackcollapse-perf folds them, one line per unique stack,
"process;outermost;...;innermost COUNT", with argument lists, return types, offsets and nested
template arguments left out of the names. The SVG needs nothing else to be shown: every frame
is a rectangle with a tooltip, coloured by where its code lives. The summary lists the frames
with the most samples of their own (self) and under them (inclusive); it goes to standard
output, or to standard error when the SVG does.
"""

import argparse
import collections
import re
import sys
import zlib
from xml.sax.saxutils import escape

# "colead-server 12345/12346 [000] 123.456789:     499 cycles:u: " (the CPU, the thread id
# and the period are optional; perf pads the process name with spaces on the left).
EVENT_RE = re.compile(
    r"^\s*(?P<comm>\S.*?)\s+\d+(?:/\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:\s+(?:\d+\s+)?"
    r"(?P<event>[^\s:]+(?::[^\s:]*)?):\s*(?P<frame>.*)$")
# "\t    55d1c0a1b2c3 colead::room::room::handle(...)+0x1a (/usr/bin/colead-server)"
FRAME_RE = re.compile(r"^\s*(?P<addr>[0-9a-fA-F]+)\s+(?P<rest>\S.*?)\s*$")
OFFSET_RE = re.compile(r"\+0x[0-9a-fA-F]+$")
CLONE_RE = re.compile(r"(?:\s*\[clone [^\]]*\])+$")
QUALIFIERS_RE = re.compile(r"(?:\s+(?:const|volatile|noexcept|&&|&))+$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
OPERATOR_RE = re.compile(r"\boperator\s*(?:\(\)|\[\]|[-+*/%^&|~!=<>,]+)")

# What the code of a frame is, by its module or its name, and how it is coloured: a hue range
# (degrees), a saturation and a lightness range (percent), as LEGEND says.
CATEGORIES = {
    "colead": ((0, 10), 80, (55, 66)),
    "other": ((22, 34), 90, (55, 66)),
    "runtime": ((48, 58), 85, (52, 62)),
    "sqlite": ((322, 338), 70, (66, 76)),
    "kernel": ((18, 30), 50, (42, 50)),
}
LEGEND = ("red: Colead (colead::), yellow: libc, libstdc++ and the loader, pink: SQLite, "
          "brown: kernel, orange: other code (Boost, Asio, protobuf, OpenSSL, unknown)")
RUNTIME_MODULES = ("libc.so", "libc-", "libstdc++", "libm.so", "libgcc_s", "ld-linux",
                   "libpthread")
USER_SPECIAL_MODULES = ("[unknown]", "[vdso]", "[vsyscall]", "[heap]", "[stack]", "[anon]")
FRAME_HEIGHT = 16
FONT_SIZE = 12
CHAR_WIDTH = FONT_SIZE * 0.6
PAD = 10
TOP = 60


def split_frame(rest):
    """Splits "symbol+0x1a (/path/module)" into the symbol and the module ('' if none)."""
    if not rest.endswith(")"):
        return rest, ""
    depth = 0
    for i in range(len(rest) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(rest[i], 0)
        if depth == 0:
            return rest[:i].rstrip(), rest[i + 1:-1]
    return rest, ""


def mask_operators(name):
    """NAME with the symbols of operator names ("operator<<", "operator()") replaced by "o",
    so that they count as no bracket nor space."""
    return OPERATOR_RE.sub(lambda match: "o" * len(match.group(0)), name)


def strip_args(name):
    """Leaves out argument lists (not "(anonymous namespace)" nor the ones inside lambdas'
    braces) and the arguments of templates nested in other templates ("<...>")."""
    masked, out, angle, brace, i = mask_operators(name), [], 0, 0, 0
    while i < len(name):
        c = masked[i]
        if c == "(" and angle == 0 and brace == 0 and not name.startswith(
                "(anonymous namespace)", i):
            depth = 0
            while i < len(name):
                depth += {"(": 1, ")": -1}.get(masked[i], 0)
                i += 1
                if depth == 0:
                    break
            continue
        if c == "<":
            angle += 1
            if angle == 2:
                out.append("<...")
        elif c == ">":
            angle = max(angle - 1, 0)
        elif c == "{":
            brace += 1
        elif c == "}":
            brace = max(brace - 1, 0)
        if angle < 2:
            out.append(name[i])
        i += 1
    return "".join(out)


def drop_return_type(name):
    """Leaves out the return type that template functions' demangled names start with."""
    masked, depth, starts = mask_operators(name), 0, [0]
    for i, c in enumerate(masked):
        depth += 1 if c in "<({[" else -1 if c in ">)}]" else 0
        if c == " " and depth == 0:
            starts.append(i + 1)
    words = [name[start:end].strip() for start, end in zip(starts, starts[1:] + [len(name)])]
    for k, word in enumerate(words):
        if re.search(r"(?:^|::)operator(?!\w)", word):
            return " ".join(words[k:])
    return words[-1]


def tidy_name(symbol):
    """The name of a frame in the folded stacks: readable, and still one per function."""
    name = OFFSET_RE.sub("", symbol.strip())
    if name.startswith("[") or not name:
        return name or "[unknown]"
    clone = CLONE_RE.search(name)
    suffix = clone.group(0).strip() if clone else ""
    name = strip_args(name[:clone.start()] if clone else name)
    name = drop_return_type(QUALIFIERS_RE.sub("", name).strip())
    return (name + " " + suffix if suffix else name).replace(";", ":")


def category_of(name, module, address):
    """Which of CATEGORIES a frame belongs to."""
    base = module.rsplit("/", 1)[-1]
    if (module.startswith("[kernel") or address >= 0xffff800000000000
            or (module.startswith("[") and module not in USER_SPECIAL_MODULES)):
        return "kernel"
    if "sqlite" in base or name.startswith("sqlite3"):
        return "sqlite"
    if base.startswith(RUNTIME_MODULES):
        return "runtime"
    return "colead" if name.startswith("colead::") else "other"


def fold(lines):
    """Folds `perf script` text: returns ({stack tuple: samples}, {frame name: category},
    event name, samples of other events skipped)."""
    stacks, categories = collections.Counter(), {}
    event, skipped, stack, keep = None, 0, None, False

    def end_event():
        if stack is not None and keep:
            stacks[tuple(stack[:1] + stack[:0:-1])] += 1

    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            end_event()
            stack = None
            continue
        if line.startswith("#"):
            continue
        if stack is None:
            match = EVENT_RE.match(line)
            if not match:
                continue
            event = event or match.group("event")
            keep = match.group("event") == event
            skipped += not keep
            stack = [match.group("comm").replace(";", ":")]
            line = match.group("frame")
        match = FRAME_RE.match(line)
        if match:
            symbol, module = split_frame(match.group("rest"))
            name = tidy_name(symbol)
            stack.append(name)
            categories.setdefault(name, category_of(name, module, int(match.group("addr"), 16)))
    end_event()
    return stacks, categories, event, skipped


def folded_text(stacks):
    """The folded stacks, one "root;...;leaf COUNT" line each, sorted."""
    return "".join(f"{';'.join(stack)} {count}\n" for stack, count in sorted(stacks.items()))


class Node:
    """A frame of the flame graph: its samples and the frames called from it."""

    def __init__(self, name):
        self.name, self.total, self.children = name, 0, {}

    def add(self, stack, count):
        """Adds COUNT samples of STACK (outermost first) under this frame."""
        node = self
        node.total += count
        for name in stack:
            node = node.children.get(name) or node.children.setdefault(name, Node(name))
            node.total += count


def colour(name, category):
    """A colour of the category's range, always the same for the same name."""
    hues, saturation, lights = CATEGORIES.get(category, CATEGORIES["other"])
    h = zlib.crc32(name.encode("utf-8", "replace"))
    hue = hues[0] + (h & 0xFFFF) / 0xFFFF * (hues[1] - hues[0])
    light = lights[0] + (h >> 16) / 0xFFFF * (lights[1] - lights[0])
    return f"hsl({hue:.0f},{saturation}%,{light:.0f}%)"


def layout(root, width, min_width):
    """Yields (node, depth, x, w) for each frame at least MIN_WIDTH pixels wide."""
    scale = (width - 2 * PAD) / root.total
    pending = [(root, 0, PAD)]
    while pending:
        node, depth, x = pending.pop()
        w = node.total * scale
        if w < min_width:
            continue
        yield node, depth, x, w
        for name in sorted(node.children):
            child = node.children[name]
            pending.append((child, depth + 1, x))
            x += child.total * scale


def xml_text(text):
    """TEXT as the content of an XML element (no markup, no control characters)."""
    return escape(CONTROL_RE.sub("?", text))


def svg(root, categories, title, width, min_width):
    """The flame graph of the tree under ROOT as a self-contained SVG document."""
    frames = list(layout(root, width, min_width))
    depth = max(d for _, d, _, _ in frames) + 1
    height = TOP + depth * FRAME_HEIGHT + PAD
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" font-size="{FONT_SIZE}">',
           '<rect class="background" width="100%" height="100%" fill="#f8f4ec"/>',
           f'<text x="{width / 2}" y="24" font-size="17" text-anchor="middle">'
           f'{xml_text(title)}</text>',
           f'<text x="{width / 2}" y="44" fill="#555" text-anchor="middle">'
           f'{xml_text(LEGEND)}</text>']
    for node, d, x, w in frames:
        y = height - PAD - (d + 1) * FRAME_HEIGHT
        tip = f"{node.name} ({node.total:,} samples, {100 * node.total / root.total:.2f}%)"
        fill = colour(node.name, categories.get(node.name, "other"))
        out.append(f'<g class="frame"><title>{xml_text(tip)}</title>'
                   f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{FRAME_HEIGHT - 1}" '
                   f'rx="2" fill="{fill}"/>')
        chars = int((w - 6) / CHAR_WIDTH)
        if chars >= 3:
            label = node.name if len(node.name) <= chars else node.name[:chars - 2] + ".."
            out.append(f'<text x="{x + 3:.2f}" y="{y + FRAME_HEIGHT - 4}">{xml_text(label)}</text>')
        out.append("</g>")
    out.append("</svg>\n")
    return "\n".join(out)


def summary(stacks, event, top):
    """The TOP frames by self and by inclusive samples, with their share of all samples."""
    total = sum(stacks.values())
    own, under = collections.Counter(), collections.Counter()
    for stack, count in stacks.items():
        own[stack[-1]] += count
        for name in set(stack):
            under[name] += count
    lines = [f"{total:,} samples of {event}"]
    for heading, counter in (("self", own), ("inclusive", under)):
        lines += ["", f"Top {top} frames by {heading} samples:",
                  f"{'percent':>8} {'samples':>9}  frame"]
        for name, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]:
            lines.append(f"{100 * count / total:7.2f}% {count:9,}  {name}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("input", nargs="?", help="the text of perf script (default: stdin)")
    parser.add_argument("-o", "--output", help="the SVG file (default: stdout)")
    parser.add_argument("--folded", metavar="OUT", help="also write the folded stacks to OUT")
    parser.add_argument("--title", default="Flame graph", help="the SVG's title")
    parser.add_argument("--width", type=int, default=1200, help="the SVG's width in pixels")
    parser.add_argument("--min-width", type=float, default=0.1,
                        help="frames narrower than this many pixels are left out")
    parser.add_argument("--top", type=int, default=25, help="frames in each summary list")
    args = parser.parse_args(argv)
    if args.width < 100:
        parser.error("--width must be 100 pixels or more")

    if args.input:
        with open(args.input, encoding="utf-8", errors="replace") as text:
            stacks, categories, event, skipped = fold(text)
    else:
        sys.stdin.reconfigure(errors="replace")
        stacks, categories, event, skipped = fold(sys.stdin)
    if not stacks:
        sys.exit("flamegraph.py: no samples in the input (the text of perf script)")
    if skipped:
        print(f"flamegraph.py: {skipped:,} samples of events other than {event} left out",
              file=sys.stderr)
    if args.folded:
        with open(args.folded, "w", encoding="utf-8") as out:
            out.write(folded_text(stacks))
    root = Node("all")
    for stack, count in stacks.items():
        root.add(stack, count)
    document = svg(root, categories, args.title, args.width, args.min_width)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(document)
        report = sys.stdout
    else:
        sys.stdout.write(document)
        report = sys.stderr
    report.write(summary(stacks, event, args.top))


if __name__ == "__main__":
    main()
