import sys

from phonebook.cli import main

sys.exit(main())
