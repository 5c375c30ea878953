import sys

from quote_stance.cli.main import main

sys.exit(main())
