from ccc_desktop.cli import main

raise SystemExit(main())
