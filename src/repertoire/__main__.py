from repertoire.cli import main

main()
