"""The team around the child: its members, lead, level of need, meetings and actions."""
