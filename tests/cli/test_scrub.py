"""``redactlog scrub``, run as a process on real files."""

from __future__ import annotations

import gzip
import json
import os
import pty
import random
import re
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st


class TestSample:
    """The bundled sample log: the README's first command."""

    def test_sample_is_redacted_line_for_line(self, run, tools):
        """Every line survives in order; the secrets in it do not."""
        original = tools.sample.read_bytes()

        result = run("scrub", tools.sample)

        assert result.returncode == 0
        out_lines = result.stdout.splitlines(keepends=True)
        in_lines = original.splitlines(keepends=True)
        assert len(in_lines) == len(out_lines)
        changed = [a for a, b in zip(in_lines, out_lines, strict=True) if a != b]
        assert all(b"[REDACTED:" in line for line in out_lines if line not in in_lines)
        assert len(changed) >= 15
        for leak in (b"ghp_", b"ghs_", b"sk_test_", b"AKIA", b"eyJ", b"@example.", b"7946 0958", b"253 0000"):
            assert leak not in result.stdout, leak

    def test_sample_is_up_to_date_with_its_generator(self, tools):
        """The committed sample is exactly what scripts/make_sample.py writes."""
        script = tools.sample.parents[1] / "scripts" / "make_sample.py"

        result = subprocess.run([os.sys.executable, script, "--check"], capture_output=True, check=False, timeout=60)

        assert result.returncode == 0


class TestBytes:
    """Whatever scrub does not mask passes through byte for byte."""

    @pytest.mark.parametrize(
        ("data"),
        [
            pytest.param(b"", id="empty-file"),
            pytest.param(b"plain line\n", id="one-line"),
            pytest.param(b"no newline at the end", id="no-final-newline"),
            pytest.param(b"crlf\r\nlf\nlone\rcr\r\n\r\n\n", id="mixed-endings"),
            pytest.param(b"caf\xc3\xa9 \xff\xfe bad utf-8 \xc3(\n\xed\xa0\x80 surrogate bytes\n", id="invalid-utf8"),
            pytest.param(bytes(range(256)) * 3 + b"\n", id="all-byte-values"),
            pytest.param(b"\x00\x01\x02" * 1000, id="nul-bytes"),
            pytest.param(b'{"a": 1,   "b": [1, 2.50, 1e3]}\n[1,2]\n{"broken": \n', id="clean-json-untouched"),
        ],
    )
    def test_clean_input_is_unchanged(self, run, tmp_path, data):
        """A file with nothing to mask comes out identical."""
        path = tmp_path / "in.log"
        path.write_bytes(data)

        result = run("scrub", path)

        assert (result.returncode, result.stderr) == (0, b"")
        assert data == result.stdout

    def test_random_binary_garbage_is_unchanged(self, run, tmp_path):
        """High bytes, NULs and newlines (no ASCII letters) round-trip exactly."""
        rng = random.Random(5)
        alphabet = bytes([0, 9, 10, 13, *range(0x80, 0x100)])
        data = bytes(rng.choice(alphabet) for _ in range(200_000))
        path = tmp_path / "garbage.bin"
        path.write_bytes(data)

        result = run("scrub", path)

        assert result.returncode == 0
        assert data == result.stdout

    @pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""], ids=["lf", "crlf", "none"])
    def test_secret_amid_invalid_bytes_keeps_the_rest(self, run, tmp_path, tools, ending):
        """Only the e-mail is replaced; invalid bytes and the ending stay."""
        email = tools.email().encode()
        before, after = b"\xff\xfe prefix caf\xc3\xa9 ", b" \x80 suffix"
        path = tmp_path / "in.log"
        path.write_bytes(b"first\n" + before + email + after + ending)

        result = run("scrub", path)

        assert result.returncode == 0
        assert tools.outside_spans([b"first\n", before, None, after, ending]).fullmatch(result.stdout)

    def test_very_long_line_is_redacted_whole(self, run, tmp_path, tools):
        """A 300 kB line is redacted at both ends and kept otherwise."""
        head, tail = tools.email().encode(), tools.fake("ghp_", 36).encode()
        filler = b"x" * 150_000
        path = tmp_path / "long.log"
        path.write_bytes(head + b" " + filler + b" " + filler + b" " + tail + b"\nnext\n")

        result = run("scrub", path)

        assert result.returncode == 0
        expected = [None, b" " + filler + b" " + filler + b" ", None, b"\nnext\n"]
        assert tools.outside_spans(expected).fullmatch(result.stdout)

    def test_line_over_the_limit_is_cut_and_masked(self, run, tmp_path):
        """Past --max-line-bytes the rest of the line is masked (fail closed); the next line is intact."""
        path = tmp_path / "huge.log"
        path.write_bytes(b"a" * 2000 + b" " + b"a" * 3000 + b"\r\nnext line\n")

        result = run("scrub", "--max-line-bytes", "2048", path)

        assert result.returncode == 0
        # The word the cut ran into goes with the tail.
        assert result.stdout == b"a" * 2000 + b"[REDACTED:oversize]\r\nnext line\n"

    @pytest.mark.parametrize("cut", [2044, 2048, 2052, 2055])
    def test_secret_cut_by_the_limit_leaves_no_fragment(self, run, tmp_path, cut):
        """A card number that straddles --max-line-bytes is not left half visible."""
        path = tmp_path / "huge.log"
        head = b"x " * ((cut - 10) // 2)
        path.write_bytes(head + b"card 4111 1111 1111 1111 " + b"y" * 3000 + b"\nnext line\n")

        result = run("scrub", "--max-line-bytes", str(cut), path)

        assert result.returncode == 0
        assert b"4111" not in result.stdout
        assert result.stdout.endswith(b"[REDACTED:oversize]\nnext line\n")


class TestMultiLine:
    """PEM private keys span lines; their body lines are masked too."""

    def test_pem_block_is_masked_to_its_end(self, run, tools):
        """Body and END lines of a private key are masked; the next line is not."""
        body = [tools.fake("", 64, "ABCDEFabcdef0123456789+/") for _ in range(3)]
        text = "\r\n".join(["key: -----BEGIN RSA PRIVATE KEY-----", *body, "-----END RSA PRIVATE KEY----- ok", "next"])

        result = run("scrub", stdin=text.encode() + b"\r\n")

        expected = [b"key: [REDACTED:private_key]"] + [b"[REDACTED:private_key]"] * 3
        expected += [b"[REDACTED:private_key] ok", b"next", b""]
        assert result.stdout == b"\r\n".join(expected)

    def test_block_ends_at_a_line_that_is_not_pem(self, run):
        """A BEGIN line without END masks only the base64-looking lines after it."""
        text = b"-----BEGIN PRIVATE KEY-----\nAAAA\nnormal log line\nAAAA\n"

        result = run("scrub", stdin=text)

        assert result.stdout == b"[REDACTED:private_key]\n[REDACTED:private_key]\nnormal log line\nAAAA\n"

    def test_a_long_blank_line_after_a_key_header(self, run):
        """A blank line of 200,000 spaces and a letter ends the block (its test once took quadratic time)."""
        blank = b" " * 200_000 + b"!"
        text = b"-----BEGIN PRIVATE KEY-----\n" + blank + b"\nafter\n"

        result = run("scrub", stdin=text)

        assert result.stdout == b"[REDACTED:private_key]\n" + blank + b"\nafter\n"

    def test_a_long_header_line_inside_a_key(self, run):
        """A "Comment:" line of 200,000 spaces and a letter ends the block too (quadratic before)."""
        comment = b"Comment: " + b" " * 200_000 + b"!"
        text = b"-----BEGIN PRIVATE KEY-----\n" + comment + b"\nafter\n"

        result = run("scrub", stdin=text)

        assert result.stdout == b"[REDACTED:private_key]\n" + comment + b"\nafter\n"


class TestInputs:
    """Inputs: gzip, standard input, several files."""

    def test_gzip_is_read_transparently(self, run, tmp_path, tools):
        """A .gz file gives the same output as its plain content."""
        plain = tools.sample.read_bytes()
        path = tmp_path / "app.log.gz"
        path.write_bytes(gzip.compress(plain))

        expected = run("scrub", tools.sample).stdout
        result = run("scrub", path)

        assert result.returncode == 0
        assert expected == result.stdout

    def test_stdin_to_stdout(self, run, tools):
        """With no file (or -), scrub filters standard input."""
        email = tools.email()

        result = run("scrub", "-", stdin=f"mail {email} ok\n".encode())

        assert result.stdout == b"mail [REDACTED:email] ok\n"

    def test_gzip_on_stdin(self, run, tools):
        """Compressed standard input is recognised by its magic bytes."""
        email = tools.email()

        result = run("scrub", stdin=gzip.compress(f"to {email}\n".encode()))

        assert result.stdout == b"to [REDACTED:email]\n"

    def test_parallel_output_is_identical_and_ordered(self, run, tmp_path, tools):
        """-j 2 over several files writes exactly what -j 1 writes."""
        paths = []
        for index in range(4):
            path = tmp_path / f"f{index}.log"
            lines = [f"file {index} line {n} {tools.email()} x\n" for n in range(300)]
            path.write_text("".join(lines))
            paths.append(path)

        serial = run("scrub", *paths)
        parallel = run("scrub", "-j", "2", *paths)

        assert (serial.returncode, parallel.returncode) == (0, 0)
        assert serial.stdout == parallel.stdout
        assert serial.stdout.startswith(b"file 0 line 0 [REDACTED:email] x\n")

    def test_parallel_splits_a_big_file_at_line_starts(self, run, tmp_path, tools):
        """-j 2 cuts one large file into pieces; the output is still identical, gzip included."""
        rng = random.Random(11)
        words = [b"alpha", b"beta", b"gamma", b"delta", b"\xff\xfe", b"caf\xc3\xa9"]
        lines = []
        for n in range(80_000):
            line = b" ".join(rng.choice(words) for _ in range(rng.randrange(1, 12)))
            if n % 997 == 0:
                line += b" " + tools.email().encode()
            if n % 4001 == 0:
                body = [tools.fake("", 64, "ABCDEFabcdef0123456789+/").encode() for _ in range(rng.randrange(1, 30))]
                line += b"\n-----BEGIN PRIVATE KEY-----\n" + b"\n".join(body) + b"\n-----END PRIVATE KEY-----"
            lines.append(line + rng.choice([b"\n", b"\r\n"]))
        big = tmp_path / "big.log"
        big.write_bytes(b"".join(lines))
        small = tmp_path / "small.log.gz"
        small.write_bytes(gzip.compress(b"x " + tools.email().encode() + b"\n"))
        assert big.stat().st_size > 2 << 20

        serial = run("scrub", big, small)
        parallel = run("scrub", "-j", "2", big, small)

        assert (serial.returncode, parallel.returncode) == (0, 0)
        assert parallel.stdout == serial.stdout
        assert serial.stdout.count(b"[REDACTED:email]") == 82
        assert b"-----END" not in serial.stdout


class TestJsonLines:
    """JSON lines are redacted structurally and stay valid JSON."""

    def test_json_line_is_redacted_key_aware(self, run, tmp_path, tools):
        """Values under sensitive keys and detected values are masked; the rest is kept."""
        record = {"msg": "login", "user": tools.email(), "password": "hunter2", "nested": {"n": [1, 2]}}
        path = tmp_path / "app.jsonl"
        path.write_text(json.dumps(record, separators=(",", ":")) + "\n")

        result = run("scrub", "--format", "jsonl", path)

        parsed = json.loads(result.stdout)
        expected = {**record, "user": "[REDACTED:email]", "password": "[REDACTED:secret]"}
        assert expected == parsed
        assert result.stdout.endswith(b"}\n")
        assert b'","' in result.stdout  # compact separators, like the input

    def test_keys_and_long_numbers_are_redacted_and_output_is_json(self, run, tools):
        """An e-mail used as a key and a card number stored as a number are masked inside valid JSON."""
        digits = [4, *(random.randrange(10) for _ in range(14))]
        checksum = sum(sum(divmod(d * (2 if i % 2 == 0 else 1), 10)) for i, d in enumerate(reversed(digits)))
        card = int("".join(map(str, [*digits, (10 - checksum % 10) % 10])))
        email = tools.email()
        line = json.dumps({"card": card, email: {"count": 3}, "port": 8080})

        result = run("scrub", stdin=line.encode() + b"\n")

        expected = {"card": "[REDACTED:credit_card]", "[REDACTED:email]": {"count": 3}, "port": 8080}
        assert json.loads(result.stdout) == expected

    def test_escaped_secret_is_found_and_output_is_json(self, run, tools):
        """A \\u-escaped e-mail is decoded by the parser and masked."""
        local, domain = tools.email().split("@")
        line = '{"to": "' + local + "\\u0040" + domain + '", "n": 1}\r\n'

        result = run("scrub", "--format", "jsonl", stdin=line.encode())

        assert result.stdout.endswith(b"\r\n")
        assert json.loads(result.stdout) == {"to": "[REDACTED:email]", "n": 1}

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            pytest.param("plain text {email}\n", "plain text [REDACTED:email]\n", id="not-json"),
            pytest.param('{{"a": "{email}", "a": 2}}\n', '{{"a": "[REDACTED:email]", "a": 2}}\n', id="duplicate-keys"),
            pytest.param('{{"a": "{email}"\n', '{{"a": "[REDACTED:email]"\n', id="truncated-json"),
            pytest.param('"{email}"\n', '"[REDACTED:email]"\n', id="json-scalar"),
        ],
    )
    def test_non_json_lines_fall_back_to_text(self, run, tools, line, expected):
        """Lines that are not a JSON object or array are redacted as text."""
        email = tools.email()

        result = run("scrub", "--format", "jsonl", stdin=line.format(email=email).encode())

        assert expected.format(email=email).encode() == result.stdout

    def test_format_text_never_reformats(self, run, tools):
        """--format text redacts inside the original JSON text."""
        line = '{ "user" :  "' + tools.email() + '" }\n'

        result = run("scrub", "--format", "text", stdin=line.encode())

        assert result.stdout == b'{ "user" :  "[REDACTED:email]" }\n'


class TestOutputs:
    """-o and --output-dir write atomically; errors leave files as they were."""

    def test_output_file(self, run, tmp_path, tools):
        """-o writes the redacted text to the file and nothing to stdout."""
        out = tmp_path / "out.log"

        result = run("scrub", "-o", out, tools.sample)

        assert (result.returncode, result.stdout) == (0, b"")
        assert run("scrub", tools.sample).stdout == out.read_bytes()

    def test_failing_input_leaves_existing_output_untouched(self, run, tmp_path, tools):
        """A corrupt second input fails the run; the old output file is kept and no temp file is left."""
        good = tmp_path / "good.log"
        good.write_text(f"mail {tools.email()}\n")
        bad = tmp_path / "bad.log.gz"
        bad.write_bytes(gzip.compress(random.randbytes(100_000))[:2000])
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        out = out_dir / "result.log"
        out.write_bytes(b"previous good result\n")

        result = run("scrub", "-o", out, good, bad)

        assert result.returncode == 2
        assert b"bad.log.gz" in result.stderr
        assert out.read_bytes() == b"previous good result\n"
        assert sorted(os.listdir(out_dir)) == ["result.log"]

    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_output_dir_keeps_good_outputs_when_one_input_fails(self, run, tmp_path, tools, jobs):
        """--output-dir: the first file is written whole; the failed one's old output stays."""
        first = tmp_path / "a.log"
        first.write_text(f"mail {tools.email()}\n")
        second = tmp_path / "b.log"
        second.write_bytes(gzip.compress(random.randbytes(100_000))[:2000])
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        (out_dir / "b.log").write_bytes(b"old b\n")

        result = run("scrub", "-j", jobs, "--output-dir", out_dir, first, second)

        assert result.returncode == 2
        assert (out_dir / "a.log").read_bytes() == b"mail [REDACTED:email]\n"
        assert (out_dir / "b.log").read_bytes() == b"old b\n"
        assert sorted(os.listdir(out_dir)) == ["a.log", "b.log"]

    def test_output_dir_keeps_gzip_compressed(self, run, tmp_path, tools):
        """A gzip input is written as gzip under the same name."""
        path = tmp_path / "app.log.gz"
        path.write_bytes(gzip.compress(f"mail {tools.email()}\n".encode()))
        out_dir = tmp_path / "out"
        out_dir.mkdir()

        result = run("scrub", "--output-dir", out_dir, path)

        assert result.returncode == 0
        assert gzip.decompress((out_dir / "app.log.gz").read_bytes()) == b"mail [REDACTED:email]\n"

    @pytest.mark.parametrize(
        "make_args",
        [
            pytest.param(lambda p, d: ["-o", p, p], id="output-is-input"),
            pytest.param(lambda p, d: ["-o", d / ".." / p.name, p], id="output-is-input-via-dotdot"),
            pytest.param(lambda p, d: ["--output-dir", p.parent, p], id="output-dir-holds-input"),
        ],
    )
    def test_output_equal_to_input_is_refused(self, run, tmp_path, make_args):
        """Writing over an input is a usage error, and the input is untouched."""
        path = tmp_path / "in.log"
        path.write_bytes(b"keep me password=abc\n")
        sub = tmp_path / "sub"
        sub.mkdir()

        result = run("scrub", *make_args(path, sub))

        assert result.returncode == 2
        assert b"also an input" in result.stderr
        assert path.read_bytes() == b"keep me password=abc\n"


class TestErrors:
    """Bad input gives a clear message and exit status 2."""

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            pytest.param("missing.log", b"cannot read 'missing.log': No such file or directory", id="missing"),
            pytest.param(".", b"cannot read '.': is a directory", id="directory"),
        ],
    )
    def test_unreadable_input(self, run, name, message):
        """Missing files and directories are reported by name."""
        result = run("scrub", name)

        assert result.returncode == 2
        assert message in result.stderr
        assert result.stdout == b""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            pytest.param(["-o", "no/such/dir/out.log"], b"cannot write 'no/such/dir/out.log'", id="output-dir-missing"),
            pytest.param(
                ["--output-dir", "nowhere", "in.log"], b"output directory 'nowhere' does not exist", id="no-output-dir"
            ),
            pytest.param(["--output-dir", ".", "-"], b"--output-dir needs input files", id="stdin-to-output-dir"),
        ],
    )
    def test_bad_outputs(self, run, tmp_path, args, message):
        """Impossible outputs are usage errors that say why."""
        (tmp_path / "in.log").write_bytes(b"x\n")

        result = run("scrub", *args, stdin=b"x\n")

        assert result.returncode == 2
        assert message in result.stderr

    def test_same_name_twice_in_output_dir_is_refused(self, run, tmp_path):
        """Two inputs that would land on one output name are refused before any work."""
        for sub in ("a", "b"):
            (tmp_path / sub).mkdir()
            (tmp_path / sub / "app.log").write_text("x\n")
        (tmp_path / "out").mkdir()

        result = run("scrub", "--output-dir", "out", "a/app.log", "b/app.log")

        assert result.returncode == 2
        assert b"would both be written to" in result.stderr
        assert list((tmp_path / "out").iterdir()) == []

    def test_unknown_option_is_a_usage_error(self, run):
        """argparse errors exit with 2."""
        result = run("scrub", "--frobnicate")

        assert result.returncode == 2
        assert b"usage:" in result.stderr


class TestReporting:
    """--stats and the progress bar go to standard error only."""

    def test_stats_counts_kinds(self, run, tools):
        """--stats prints counts per kind after the run."""
        data = f"{tools.email()} {tools.email()}\ntoken={tools.fake('', 20)}\n".encode()

        result = run("scrub", "--stats", stdin=data)

        assert re.search(rb"2 lines, \d+ bytes read, 2 lines changed, 3 findings", result.stderr)
        assert re.search(rb"email\s+2", result.stderr)
        assert re.search(rb"secret\s+1", result.stderr)

    def test_no_progress_bar_when_piped(self, run, tools):
        """With stderr not a terminal, nothing is drawn."""
        result = run("scrub", tools.sample)

        assert result.stderr == b""

    def test_progress_bar_on_a_terminal(self, run, tools, tmp_path):
        """With stderr a terminal, a bar is drawn and erased."""
        leader, follower = pty.openpty()
        try:
            result = run("scrub", "-o", tmp_path / "out.log", tools.sample, stderr=follower)
            os.close(follower)
            drawn = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                drawn += chunk
        finally:
            os.close(leader)

        assert result.returncode == 0
        assert b"100%" in drawn
        assert b"MB/s" in drawn


class TestBench:
    """redactlog bench is a quick self-test."""

    def test_bench_prints_a_rate(self, run):
        """It redacts the sample in memory and prints lines/s and MB/s."""
        result = run("bench", "--lines", "500")

        assert result.returncode == 0
        assert re.match(rb"redactlog bench: 500 lines of examples/sample.log .* lines/s, [\d.]+ MB/s", result.stdout)


_LINE_REDACTOR = None


def _line_redactor():
    """One line redactor for the property tests (building one compiles every pattern)."""
    global _LINE_REDACTOR
    if _LINE_REDACTOR is None:
        from redactlog import Redactor
        from redactlog._cli.lines import LineRedactor

        _LINE_REDACTOR = LineRedactor(Redactor(), parse_json=True)
    return _LINE_REDACTOR


_PIECES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\n", b"\r\n", b"\r", b"{", b"}", b'"a": ', b"password=", b"\xff", b"\xc3\xa9", b" "]),
    st.from_regex(r"[a-z]{3,8}\.[a-z]{2,6}@example\.com", fullmatch=True).map(str.encode),
)


class TestLineProperties:
    """Invariants of one line, checked in-process on generated bytes."""

    @given(st.lists(_PIECES, max_size=12).map(b"".join))
    def test_endings_kept_and_changes_are_placeholders(self, data):
        """Every line keeps its ending and count of newlines; a changed line holds a placeholder."""
        from redactlog._cli.lines import Stats, split_ending

        lines = _line_redactor()
        lines.start_file()
        for line in data.splitlines(keepends=True):
            out = lines.redact(line, Stats())
            ending = split_ending(line)[1]

            assert split_ending(out)[1] == ending
            assert out.count(b"\n") == line.count(b"\n")
            if out != line:
                assert re.search(rb"\[REDACTED:[A-Za-z0-9_.:-]+\]", out)
