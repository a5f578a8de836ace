"""Tests of tests/bench/flamegraph.py on a few events in the format of `perf script`.

    python3 -m unittest tests/bench/flamegraph_test.py
"""

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flamegraph  # noqa: E402

SERVER = "/opt/colead/bin/colead-server"
LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6"
SQLITE = "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6"
SESSION = ("colead::net::websocket_session_of<boost::beast::basic_stream<boost::asio::ip::tcp, "
           "boost::asio::any_io_executor, boost::beast::unlimited_rate_policy> >")
THREAD = [
    f"\t    55d1c0a00010 boost::asio::detail::scheduler::run(boost::system::error_code&)+0x2b0"
    f" ({SERVER})",
    f"\t    7f2a1c094ac3 start_thread+0x2f3 ({LIBC})",
    "\t               0 [unknown] ([unknown])",
]
READ = [
    "colead-server 12345 [000] 123.456789:        499 cycles:u: ",
    f"\t    55d1c0a1b2c3 {SESSION}::on_read(boost::system::error_code, unsigned long)+0x1a"
    f" ({SERVER})",
] + THREAD
PERF_SCRIPT = "\n".join(READ + [""] + READ + [
    "",
    "colead-server 12345/12347 [001] 123.457001:       1000 cycles:u: ",
    "\tffffffff8223c951 do_syscall_64+0x71 ([kernel.kallsyms])",
    "\tffffffff81000130 entry_SYSCALL_64_after_hwframe+0x76 ([kernel.kallsyms])",
    f"\t    7f2a1c11a0b4 __libc_sendmsg+0x74 ({LIBC})",
    "\t    55d1c0a1c000 colead::room::room::deliver(colead::room::member&, "
    f"std::shared_ptr<std::__cxx11::basic_string<char> const> const&) const+0x40 ({SERVER})",
] + THREAD + [
    "",
    "colead-server 12345/12348 [000] 123.458120:        499 cycles:u: ",
    f"\t    7f2a1d0458e0 sqlite3VdbeExec+0x1d40 ({SQLITE})",
    f"\t    7f2a1d04a1f3 sqlite3_step+0x233 ({SQLITE})",
    "\t    55d1c0a2d000 colead::store::sqlite_store::commit(colead::store::batch const&)+0x90"
    f" ({SERVER})",
    "\t    55d1c0a2d100 colead::store::writer::run()::{lambda()#1}::operator()() const+0x21"
    f" ({SERVER})",
    "\t    55d1c0a2e200 void boost::asio::detail::executor_function::complete<boost::asio::"
    "detail::binder0<colead::store::writer::run()::{lambda()#1}>, std::allocator<void> >"
    f"(boost::asio::detail::executor_function::impl_base*, bool)+0x5c ({SERVER})",
] + THREAD + [
    "",
    "  colead-loadgen  2222 [001] 123.459000:        499 cycles:u: ",
    f"\t    7f2a1c15d0aa __memmove_avx_unaligned_erms+0x2a ({LIBC})",
    "\t    55e0b0c01120 main+0x120 (/opt/colead/bin/colead-loadgen)",
    f"\t    7f2a1c02924a __libc_start_call_main+0x7a ({LIBC})",
    "",
])

RUN = "colead-server;[unknown];start_thread;boost::asio::detail::scheduler::run"
FOLDED = [
    f"{RUN};boost::asio::detail::executor_function::complete<boost::asio::detail::binder0<...>, "
    "std::allocator<...> >;colead::store::writer::run::{lambda()#1}::operator();"
    "colead::store::sqlite_store::commit;sqlite3_step;sqlite3VdbeExec 1",
    f"{RUN};colead::net::websocket_session_of<boost::beast::basic_stream<...> >::on_read 2",
    f"{RUN};colead::room::room::deliver;__libc_sendmsg;entry_SYSCALL_64_after_hwframe;"
    "do_syscall_64 1",
    "colead-loadgen;__libc_start_call_main;main;__memmove_avx_unaligned_erms 1",
]
ON_READ = "colead::net::websocket_session_of<boost::beast::basic_stream<...> >::on_read"


def parse_summary(text):
    """{"self" or "inclusive": [(name, percent, samples), ...]} from the summary's lists."""
    lists, current = {}, None
    for line in text.splitlines():
        heading = re.match(r"Top \d+ frames by (\w+) samples:", line)
        row = re.match(r"\s*([\d.]+)% +([\d,]+)  (.*)$", line)
        if heading:
            current = lists.setdefault(heading.group(1), [])
        elif row and current is not None:
            current.append((row.group(3), float(row.group(1)), int(row.group(2).replace(",", ""))))
    return lists


class FoldTest(unittest.TestCase):
    def setUp(self):
        self.stacks, self.categories, self.event, self.skipped = flamegraph.fold(
            io.StringIO(PERF_SCRIPT))

    def test_folds_stacks_outermost_first_with_their_counts(self):
        self.assertEqual(flamegraph.folded_text(self.stacks).splitlines(), sorted(FOLDED))
        self.assertEqual(self.event, "cycles:u")
        self.assertEqual(self.skipped, 0)

    def test_frames_are_told_apart_by_where_their_code_lives(self):
        expected = {
            "do_syscall_64": "kernel", "__libc_sendmsg": "runtime", "sqlite3_step": "sqlite",
            ON_READ: "colead", "colead::room::room::deliver": "colead",
            "boost::asio::detail::scheduler::run": "other", "[unknown]": "other"}
        for name, category in expected.items():
            self.assertEqual(self.categories[name], category, name)

    def test_samples_of_a_second_event_are_left_out(self):
        other = PERF_SCRIPT.replace("1000 cycles:u:", "1000 instructions:u:")
        stacks, _, event, skipped = flamegraph.fold(io.StringIO(other))
        self.assertEqual((event, skipped, sum(stacks.values())), ("cycles:u", 1, 4))

    def test_samples_without_call_chains_have_their_one_frame(self):
        text = "colead-server 12345 123.4:  499 cycles:u:  55d1c0a1b2c3 main+0x1a (/bin/x)\n"
        stacks, _, _, _ = flamegraph.fold(io.StringIO(text))
        self.assertEqual(dict(stacks), {("colead-server", "main"): 1})


class TidyNameTest(unittest.TestCase):
    def test_names(self):
        cases = {
            "foo(int)+0x10": "foo",
            "[unknown]": "[unknown]",
            "ns::(anonymous namespace)::f(char const*)": "ns::(anonymous namespace)::f",
            "std::ostream& std::operator<< <std::char_traits<char> >(std::ostream&, char const*)":
                "std::operator<< <std::char_traits<...> >",
            "a::b::operator()(int) const &": "a::b::operator()",
            "a::operator<(a const&) const": "a::operator<",
            "a::operator bool() const": "a::operator bool",
            "operator new(unsigned long)": "operator new",
            "colead::x::f(int) [clone .cold]": "colead::x::f [clone .cold]",
            "f(std::function<void (int)>)": "f",
            "g<std::function<void (int)> >(int)": "g<std::function<...> >",
            "h<void (int)>(int)": "h<void (int)>",
            "a;b(int)": "a:b",
        }
        for symbol, name in cases.items():
            self.assertEqual(flamegraph.tidy_name(symbol), name, symbol)


class OutputTest(unittest.TestCase):
    def run_main(self, *options):
        """Runs the tool on PERF_SCRIPT; returns (SVG root element, summary, folded text)."""
        with tempfile.TemporaryDirectory() as folder:
            paths = [os.path.join(folder, name) for name in ("in.txt", "out.svg", "out.folded")]
            with open(paths[0], "w", encoding="utf-8") as out:
                out.write(PERF_SCRIPT)
            report = io.StringIO()
            with contextlib.redirect_stdout(report):
                flamegraph.main([paths[0], "-o", paths[1], "--folded", paths[2], *options])
            with open(paths[2], encoding="utf-8") as folded:
                return ElementTree.parse(paths[1]).getroot(), report.getvalue(), folded.read()

    def frames(self, root):
        """The frames of the SVG as {name: (rect, tooltip)}."""
        ns = {"svg": "http://www.w3.org/2000/svg"}
        found = {}
        for group in root.iterfind("svg:g[@class='frame']", ns):
            rects = group.findall("svg:rect", ns)
            self.assertEqual(len(rects), 1)
            tooltip = group.find("svg:title", ns).text
            found[tooltip.rsplit(" (", 1)[0]] = (rects[0], tooltip)
        return found

    def test_svg_has_one_rect_per_frame(self):
        root, _, folded = self.run_main("--title", "rooms-1000 <server>")
        self.assertEqual(folded.splitlines(), sorted(FOLDED))
        frames = self.frames(root)
        names = {name for line in FOLDED for name in line.rsplit(" ", 1)[0].split(";")}
        self.assertEqual(set(frames), names | {"all"})
        self.assertEqual(len(root.findall(".//{http://www.w3.org/2000/svg}rect")),
                         len(frames) + 1)  # and the background
        self.assertEqual(frames["all"][1], "all (5 samples, 100.00%)")
        self.assertEqual(frames[ON_READ][1], f"{ON_READ} (2 samples, 40.00%)")
        self.assertEqual(float(frames["all"][0].get("width")), 1200 - 2 * flamegraph.PAD)
        self.assertIn("rooms-1000 <server>", ElementTree.tostring(root, encoding="unicode")
                      .replace("&lt;", "<").replace("&gt;", ">"))

    def test_frames_narrower_than_min_width_are_left_out(self):
        root, _, _ = self.run_main("--width", "520", "--min-width", "101")
        # 500 px for 5 samples: only the frames of 2 samples or more are 101 px wide.
        self.assertEqual(set(self.frames(root)), set(RUN.split(";")) | {"all", ON_READ})

    def test_summary_lists_self_and_inclusive_samples(self):
        _, report, _ = self.run_main()
        self.assertEqual(report.splitlines()[0], "5 samples of cycles:u")
        lists = parse_summary(report)
        self.assertEqual(lists["self"][0], (ON_READ, 40.0, 2))
        self.assertEqual(sorted(lists["self"][1:]), [
            ("__memmove_avx_unaligned_erms", 20.0, 1), ("do_syscall_64", 20.0, 1),
            ("sqlite3VdbeExec", 20.0, 1)])
        inclusive = {name: (percent, samples) for name, percent, samples in lists["inclusive"]}
        self.assertEqual(inclusive["colead-server"], (80.0, 4))
        self.assertEqual(inclusive["boost::asio::detail::scheduler::run"], (80.0, 4))
        self.assertEqual(inclusive[ON_READ], (40.0, 2))
        self.assertEqual(inclusive["colead-loadgen"], (20.0, 1))
        self.assertEqual(len(inclusive), 18)

    def test_svg_to_stdout_and_summary_to_stderr(self):
        tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flamegraph.py")
        done = subprocess.run([sys.executable, tool, "--top", "3"], input=PERF_SCRIPT,
                              capture_output=True, text=True, check=True)
        ElementTree.fromstring(done.stdout)
        self.assertEqual(len(parse_summary(done.stderr)["inclusive"]), 3)

    def test_no_samples_is_an_error(self):
        done = subprocess.run([sys.executable, os.path.join(os.path.dirname(
            os.path.abspath(__file__)), "flamegraph.py")], input="", capture_output=True,
            text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("no samples", done.stderr)


if __name__ == "__main__":
    unittest.main()
