"""The README's promises: its commands exist and its Python example runs as shown."""

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs(monkeypatch):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 5


def test_first_two_commands_build_and_test():
    first, second = [line for line in README.splitlines() if line.startswith(("python3 -m pip", "apt-get"))][:2]
    assert "geo build" in first
    assert second.rstrip().split("#")[0].strip().endswith("python3 -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "python3 -m pytest"


def test_every_command_in_the_quickstart_exists():
    from click.testing import CliRunner

    from geo.cli import main

    names = set(re.findall(r"python3 -m geo ([a-z-]+)", README))
    assert {"validate", "build", "geocode", "add-park", "import", "update", "remove", "summary", "locate"} <= names
    for name in names:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
