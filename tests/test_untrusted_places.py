"""Nothing outside the output folder is written or deleted: links, the note of -s."""

import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.bakery import TEMPLATE, bake, cookiecutter, run


@pytest.mark.parametrize(
    ("link", "answers"),
    [
        ("README.md", []),
        (".github", ["add_github_actions=no"]),
        ("src", []),
        ("LICENSE", ["open_source_license=Not open source"]),
    ],
)
def test_a_link_where_the_template_writes_is_refused_in_one_line(
    tmp_path: Path, link: str, answers: list[str]
) -> None:
    outside = tmp_path / "outside"
    (outside / "workflows").mkdir(parents=True)
    (outside / "workflows" / "main.yml").write_text("mine\n")
    (outside / "file").write_text("mine\n")
    project = tmp_path / "out" / "my_project"
    project.mkdir(parents=True)
    target = outside / ("file" if Path(link).suffix or link == "LICENSE" else "")
    (project / link).symlink_to(target)

    process = cookiecutter(tmp_path / "out", "-f", *answers)
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: output: {link} in {project} is a symbolic link, which cookiecutter "
        "would write through; remove it, or generate into another folder"
    )
    assert sorted(p.name for p in project.iterdir()) == [link]
    assert (outside / "workflows" / "main.yml").read_text() == "mine\n"
    assert (outside / "file").read_text() == "mine\n"
    assert sorted(p.name for p in outside.iterdir()) == ["file", "workflows"]


def test_the_note_of_existing_files_goes_nowhere_but_the_project(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    assert cookiecutter(tmp_path / "out").returncode == 0
    project = tmp_path / "out" / "my_project"
    # Another user's link at the note's name, in a shared temporary folder as it was
    # named before, and a link at its name in the project.
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    folder = zlib.crc32(str(project.resolve()).encode())
    shared_note = temporary / f"pytask-scaling-template-{folder:08x}.json"
    shared_note.symlink_to(victim)
    (project / ".pytask-scaling-template-existing-files.json").symlink_to(victim)
    env = os.environ | {name: str(temporary) for name in ("TMPDIR", "TEMP", "TMP")}

    process = cookiecutter(
        tmp_path / "out", "-f", "-s", "open_source_license=Not open source", env=env
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines()[0].startswith("kept LICENSE")
    assert victim.read_text() == "mine\n"
    assert list(temporary.iterdir()) == [shared_note]
    assert not (project / ".pytask-scaling-template-existing-files.json").exists()
    assert (project / "LICENSE").is_file()


def without_root_override() -> list[str]:
    """Return a command prefix under which read-only files are read-only, also for root.

    Root writes any file through its capability to override file permissions;
    util-linux's setpriv drops that capability.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("runs as root without setpriv (util-linux), which drops its rights")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def assert_refused_leaving_all_as_it_was(
    process: subprocess.CompletedProcess[str],
    line: str,
    project: Path,
    before: dict[str, tuple[bytes, int]],
) -> None:
    """Assert generation stopped with ``line`` first, every file as it was before."""
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == f"ERROR: output: {line}"
    assert files_and_times(project) == before


def files_and_times(project: Path) -> dict[str, tuple[bytes, int]]:
    """Return each file of the project with its content and modification time."""
    return {
        path.relative_to(project).as_posix(): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(project.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("read_only", "missing"),
    [
        ("README.md", None),
        ("src/my_project/estimation/config.py", None),
        # A folder where a file of the template is missing, so cookiecutter creates it.
        ("src/my_project/data_preparation", "__init__.py"),
        # The project's folder, where the pre-generation hook writes its note.
        (".", None),
    ],
)
def test_a_read_only_file_under_f_is_refused_before_anything_is_written(
    tmp_path: Path, read_only: str, missing: str | None
) -> None:
    assert cookiecutter(tmp_path).returncode == 0
    project = tmp_path / "my_project"
    config = project / "src" / "my_project" / "estimation" / "config.py"
    config.write_text(config.read_text() + "# my change\n")
    if missing:
        (project / read_only / missing).unlink()
    (project / read_only).chmod(0o555 if (project / read_only).is_dir() else 0o444)
    before = files_and_times(project)

    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-f", str(TEMPLATE)]
    process = subprocess.run(
        [*without_root_override(), *command, "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    line = (
        f"{read_only} in {project} cannot be written, and cookiecutter -f would stop "
        "halfway; make them writable (chmod u+w), or generate into another folder"
    )
    assert_refused_leaving_all_as_it_was(process, line, project, before)


def test_a_project_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "my_project").symlink_to(outside)
    process = cookiecutter(tmp_path / "out", "-f")
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: output: {tmp_path / 'out' / 'my_project'} is a symbolic link, which "
        "cookiecutter would write through; remove it, or generate into another folder"
    )
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "in_the_way",
    [
        "README.md",
        "src/my_project/estimation",
        ".pytask-scaling-template-existing-files.json",
    ],
)
def test_a_file_or_folder_in_the_way_is_refused_before_anything_is_written(
    tmp_path: Path, in_the_way: str
) -> None:
    assert cookiecutter(tmp_path).returncode == 0
    project = tmp_path / "my_project"
    path = project / in_the_way
    if path.is_dir():
        shutil.rmtree(path)
        path.write_text("mine\n")
    else:
        path.unlink(missing_ok=True)
        path.mkdir()
    before = files_and_times(project)
    process = cookiecutter(tmp_path, "-f")
    line = (
        f"{in_the_way} in {project} is a file where the template writes a folder, or "
        "a folder where it writes a file; move it, or generate into another folder"
    )
    assert_refused_leaving_all_as_it_was(process, line, project, before)


def test_a_folder_with_brackets_is_refused_in_one_line(tmp_path: Path) -> None:
    output_dir = tmp_path / "study[2024]"
    process = cookiecutter(output_dir)
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: output: {output_dir / 'my_project'} has [ or ] in its path, which "
        "pytask reads as a pattern, so that it would find no task; generate into a "
        "folder without them"
    )
    assert not any(output_dir.iterdir())


def test_a_build_that_collects_no_task_fails_in_one_line(cookies) -> None:
    project = bake(cookies)
    moved = project.parent / "study[2024]" / project.name
    moved.parent.mkdir()
    project.rename(moved)
    process = run(moved, sys.executable, "-m", "pytask")
    assert process.returncode == 1
    assert process.stderr.splitlines() == [
        f"ERROR: pytask collected no task in {moved}; a [ or ] in a folder's name "
        "makes pytask read the path as a pattern: move the project to a path "
        "without them, then run pytask again"
    ]
    assert "Succeeded" not in process.stdout
    assert not (moved / "bld").exists()
