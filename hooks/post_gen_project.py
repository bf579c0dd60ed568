"""Finish the generated project: drop unchosen files and start a git repository."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# tojson escapes every quote and backslash, so no answer can break this literal.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")


def remove_unchosen_files() -> None:
    """Remove the licence, the workflow and the final stage when not chosen."""
    if ANSWERS["open_source_license"] == "Not open source":
        Path("LICENSE").unlink()
    if ANSWERS["add_github_actions"] == "no":
        shutil.rmtree(".github")
    if ANSWERS["add_final_stage"] == "no":
        shutil.rmtree(Path("src", ANSWERS["project_slug"], "final"))


def init_git_repository() -> None:
    """Start a repository, and commit to it when asked, without any git config."""
    git = shutil.which("git")
    if git is None:
        print("git was not found: the project is not a git repository yet.")
        return
    subprocess.run([git, "init", "--quiet", "--initial-branch=main"], check=True)
    if ANSWERS["make_initial_commit"] == "yes":
        identity = {
            f"GIT_{role}_{field}": ANSWERS[answer]
            for role in ("AUTHOR", "COMMITTER")
            for field, answer in (("NAME", "author"), ("EMAIL", "email"))
        }
        subprocess.run([git, "add", "--all"], check=True)
        message = "Generate the project from pytask-scaling-template"
        subprocess.run(
            [git, "commit", "--quiet", "--no-verify", "--message", message],
            check=True,
            env=os.environ | identity,
        )


if __name__ == "__main__":
    remove_unchosen_files()
    init_git_repository()
    sys.exit(0)
