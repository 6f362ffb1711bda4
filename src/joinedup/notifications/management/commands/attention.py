"""`joinedup attention remind`: the nightly reminders for what nobody is gripping.

The subcommand is a module (see governance/commands.py): `notifications/attention_command.py`
(here: `remind`).
"""

from __future__ import annotations

from joinedup.governance.commands import SubcommandCommand
from joinedup.notifications import attention_command


class Command(SubcommandCommand):
    help = (
        'Attention ("Nobody gripping it"). `attention remind` notifies people of referrals not '
        "acknowledged in time, declined with no alternative taken up, re-referrals, children "
        "with no lead professional and overdue team-around-the-child actions (nightly from cron)."
    )
    subcommands = {"remind": attention_command}
