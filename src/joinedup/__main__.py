from joinedup.cli import main

raise SystemExit(main())
