"""`joinedup indicators run|report`: run the early-warning rules, or print the fairness report.

The subcommands are modules (see governance/commands.py): `run_command.py` (here: `run`) and
`report_command.py` (`report`).
"""

from __future__ import annotations

from joinedup.governance.commands import SubcommandCommand
from joinedup.indicators import report_command, run_command


class Command(SubcommandCommand):
    help = (
        "Early-warning indicators. `indicators run` evaluates the rule file over the area and "
        "updates the flags (nightly from cron, or on demand); `indicators report` prints the "
        "fairness and hit-rate report."
    )
    subcommands = {"run": run_command, "report": report_command}
