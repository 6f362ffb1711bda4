"""`joinedup`: the command line for people who run a joinedup area.

A thin wrapper over Django's management commands with plain-English help. Any Django
management command also works (`joinedup migrate`, `joinedup createsuperuser`, ...).
"""

from __future__ import annotations

import os
import sys

USAGE = """\
usage: joinedup COMMAND [options]

joinedup links children's records across the agencies of a local area and shows each
professional only what they may lawfully see. Commands:

  serve                     run the web service (http://127.0.0.1:8000 by default)
  migrate                   create or upgrade the database tables
  area apply FILE [FILE ...] [--dry-run]
                            set up the area (agencies, teams, staff, sharing agreements)
                            from declarative files; never deletes (docs/area.md)
  area export FILE          write the current set-up in the same format
  staff import FILE.csv     create and update staff from an HR list (CSV)
  signin password-link|unlock|reset-second-factor USERNAME
                            a one-time set-password link; clear a lockout; reset the
                            authenticator app (docs/sign-in.md)
  demo-data generate        write a synthetic local area's agency extract files
  demo-data load            build a synthetic area in the database, with demo logins
  demo-data example-files --out DIR
                            extracts for the example area of README's "Run your own area"
  import SOURCE FILE --agency CODE
                            import an agency extract (formats: joinedup import --help)
  link                      link every agency record into the person index (Splink model;
                            existing children keep their ids; uncertain pairs go to review)
  match --as USERNAME       is this child known? JSON details on stdin, candidates out
  links export FILE         write agency, record_id, child_id for every agency record
  audit verify              check the audit log's hash chain; names the first broken entry
  indicators run [--as-of DATE]
                            run the early-warning rules and update the flags (nightly)
  indicators report         the indicators' fairness and hit-rate report
  directory import FILE     import an Open Referral UK services file (JSON)
  directory link SERVICE_ID --agency CODE [--team CODE]
                            say which agency (and team) receives a service's referrals
  attention remind [--as-of DATE]
                            remind people of what nobody is gripping (nightly)
  check --deploy            check production settings (set JOINEDUP_ENV=production)

Run `joinedup COMMAND --help` for a command's options. The database is SQLite under var/
unless DATABASE_URL names PostgreSQL (postgres://user@host:5432/name).
"""

ALIASES = {"serve": "runserver", "demo-data": "demo_data", "import": "import_extract"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    from django.core.management import execute_from_command_line

    command = ALIASES.get(args[0], args[0])
    execute_from_command_line(["joinedup", command, *args[1:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
