#!/usr/bin/env python3
"""Checks on the shipped scripts, the man page and the packaging.

  check_tools.py lint TOOLS_DIR
      every tools/*.bt starts with "#!/usr/bin/env scry", is executable, has a
      header comment naming what it shows, its USAGE, OPTIONS and an EXAMPLE
      OUTPUT, and is in the table of tools/README.md (hermetic: no kernel needed).
  check_tools.py verify SCRY TOOLS_DIR
      `scry --verify-only` on every tool: the kernel's verifier accepts each
      program (needs root).
  check_tools.py help-vs-man SCRY MAN_SOURCE
      every option that `scry --help` lists is documented in the man page
      source in the same words, and every option the man page documents is in
      --help.
  check_tools.py help-vs-completion SCRY COMPLETION_SCRIPT
      every option that `scry --help` lists is offered by the bash completion.

Exit status 0 when every check passes, 1 otherwise; one line per problem.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

HEADER_FIELDS = ("USAGE:", "OPTIONS:", "EXAMPLE OUTPUT:")


def tools(tools_dir):
    return sorted(Path(tools_dir).glob("*.bt"))


def lint(tools_dir):
    problems = []
    found = tools(tools_dir)
    for tool in found:
        text = tool.read_text()
        if not text.startswith("#!/usr/bin/env scry\n"):
            problems.append(f"{tool.name}: does not start with #!/usr/bin/env scry")
        if not os.access(tool, os.X_OK):
            problems.append(f"{tool.name}: not executable")
        header = text.split("*/", 1)[0]
        if not re.search(rf"^ \* {re.escape(tool.stem)} - \S", header, re.M):
            problems.append(f"{tool.name}: header does not open with '{tool.stem} - WHAT IT SHOWS'")
        for field in HEADER_FIELDS:
            if field not in header:
                problems.append(f"{tool.name}: header has no {field}")
    readme = Path(tools_dir, "README.md")
    listed = set(re.findall(r"^\| (\w+) \|", readme.read_text(), re.M)) if readme.exists() else set()
    for name in sorted({t.stem for t in found} - listed):
        problems.append(f"{name}.bt: not in the table of {readme}")
    for name in sorted(listed - {t.stem for t in found} - {"Tool"}):
        problems.append(f"{readme} lists {name}, which is not a tool")
    if len(found) < 25:
        problems.append(f"only {len(found)} tools in {tools_dir} (want at least 25)")
    return problems, f"linted {len(found)} tools"


def verify(scry, tools_dir):
    problems, passed = [], 0
    for tool in tools(tools_dir):
        result = subprocess.run([scry, "--verify-only", str(tool)], capture_output=True,
                                text=True, timeout=60, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            errors = [l for l in result.stderr.splitlines() if "ERROR" in l]
            problems.append(f"{tool.name}: --verify-only failed: "
                            f"{(errors or result.stderr.splitlines() or ['no message'])[0]}")
        else:
            passed += 1
    return problems, f"verified {passed} tools"


def options_in(text):
    """Option names (-x, --long) in text, ignoring ones inside words."""
    return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text))


def plain(markdown):
    """Markdown as the words a reader sees: no emphasis, escapes or line breaks."""
    text = re.sub(r"[*\\]", "", markdown)
    return " ".join(text.split())


def help_entries(help_text):
    """(option column, description) for each entry of --help's OPTIONS section."""
    section = help_text.split("OPTIONS:", 1)[-1].split("EXAMPLES:", 1)[0]
    entries = []
    for line in section.splitlines():
        entry = re.match(r"^ {4}(-\S.*?)(?: {2,}(.*))?$", line)
        if entry:
            entries.append([entry.group(1), entry.group(2) or ""])
        elif entries and line.strip():
            entries[-1][1] += " " + line.strip()
    return entries


def help_vs_man(scry, man_source):
    help_text = subprocess.run([scry, "--help"], capture_output=True, text=True,
                               timeout=10).stdout
    man_text = Path(man_source).read_text()
    man_section = man_text.split("# OPTIONS", 1)[-1].split("\n# ", 1)[0]
    man_opts = set()
    for line in man_section.splitlines():
        if line.startswith("**-") or line.startswith("**\\-"):
            man_opts |= options_in(line.replace("\\", ""))
    problems, help_opts = [], set()
    man_words = plain(man_section)
    for column, description in help_entries(help_text):
        opts = options_in(column)
        help_opts |= opts
        missing = opts - man_opts
        if missing:
            problems.append(f"--help lists {', '.join(sorted(missing))} but {man_source} "
                            "does not document it")
        elif description and plain(description) not in man_words:
            problems.append(f"{column}: the man page does not say what --help says: "
                            f"'{plain(description)}'")
    problems += [f"{man_source} documents {o} but --help does not list it"
                 for o in sorted(man_opts - help_opts)]
    return problems, f"compared {len(help_opts)} options of --help with the man page"


def help_vs_completion(scry, completion):
    help_text = subprocess.run([scry, "--help"], capture_output=True, text=True,
                               timeout=10).stdout
    help_opts = set()
    for column, _ in help_entries(help_text):
        help_opts |= options_in(column)
    offered = options_in(Path(completion).read_text())
    problems = [f"--help lists {o} but {completion} does not complete it"
                for o in sorted(help_opts - offered)]
    return problems, f"checked that {completion} completes {len(help_opts)} options"


def main(argv):
    commands = {"lint": (lint, 1), "verify": (verify, 2), "help-vs-man": (help_vs_man, 2),
                "help-vs-completion": (help_vs_completion, 2)}
    if not argv or argv[0] not in commands or len(argv) - 1 != commands[argv[0]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    problems, summary = commands[argv[0]][0](*argv[1:])
    for problem in problems:
        print(problem)
    print(summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
