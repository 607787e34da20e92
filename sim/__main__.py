"""Allow ``python -m sim``."""

from sim.entry import main

raise SystemExit(main())
