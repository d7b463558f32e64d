from inbrief.cli import main

main()
