"""The checks' own tests: each check passes on a good input and reports a broken one.

cd scripts && python3 -m unittest discover --start-directory deploy_check/tests --top-level-directory .
"""
