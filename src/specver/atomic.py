"""Safe writes: the one way specver writes a file, and the one way it reads an input path.

Every command that writes (`--output`, `changelog --write`, `merge --output`, `release`,
the version recorded in `.specver.yaml`, the history cache) goes through `write_text_atomic`
or `update_text`. A write lands only on a regular file or a new path: a directory, a device,
a FIFO, a file without its owner's write bit (whatever the process's uid: CI runs as root),
an input of the same command, or a symlink leading out of the workspace (the repository, or
the current folder outside one) is refused with an InputError before anything is written.
The new text goes to a temporary file in the target's folder, is flushed to disk, takes the
old file's mode (and owner, where the process may set it) and replaces it in one rename.
`update_text` holds a lock on the target's folder around read, change and write, so two
concurrent writers of one changelog never lose an entry.

`read_input` is the matching check for inputs: type (regular file, or a refusal naming what
it is), symlinks inside the workspace only, and a size limit applied to the bytes read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from specver.errors import InputError, SourceError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a file mode names, in words (`a regular file`, `a FIFO`, ...)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def workspace(start: Path | None = None) -> Path:
    """The folder symlinks may lead into: the git repository holding `start` (default: the
    current folder); outside one, the current folder when `start` lies in it, else `start`."""
    here = Path(start or Path.cwd()).absolute()
    here = here if here.is_dir() else here.parent
    here = Path(os.path.realpath(here))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    cwd = Path(os.path.realpath(Path.cwd()))
    return cwd if _inside(here, cwd) else here


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def follow_link(path: Path, label: str, root: Path | None = None) -> Path:
    """`path`, or the file its symlink(s) lead to when that lies inside the workspace.

    Refuses (InputError) a symlink whose target is outside `root` (default: the workspace
    of the link's folder).
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    boundary = root or workspace(path.absolute().parent)
    target = Path(os.path.realpath(path))
    if not _inside(target, boundary):
        raise InputError(f"{label}: a symlink leading outside {boundary}; refused")
    return target


def check_target(path: Path, *, inputs: Iterable[Path] = (), root: Path | None = None) -> Path:
    """The regular file (or new path) a write to `path` lands on, or InputError saying why not.

    Refused: a directory, a device, a FIFO or socket, a file without its owner write bit, a
    path naming one of the command's `inputs`, a symlink leading outside `root` (default:
    the workspace of the target's folder), a folder that does not exist.
    """
    label = str(path)
    target = follow_link(Path(path), label, root)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"{label}: cannot write: {exc.strerror or exc}") from None
    if info is None and Path(path).is_symlink():
        raise InputError(f"{label}: a dangling symlink; refused")
    if not folder.is_dir():
        raise InputError(f"{label}: folder {folder} does not exist")
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{label}: is {kind_of(info.st_mode)}, not a file to write")
        if not info.st_mode & stat.S_IWUSR:
            raise InputError(f"{label}: is read-only (no owner write bit); refused")
        for source in inputs:
            with contextlib.suppress(OSError):
                same = os.stat(source)
                if (same.st_dev, same.st_ino) == (info.st_dev, info.st_ino):
                    raise InputError(f"{label}: is an input of this command; refused")
    return target


def write_text_atomic(
    path: Path, text: str, *, inputs: Iterable[Path] = (), root: Path | None = None
) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    The target is checked first (`check_target`); an existing file keeps its mode and,
    where the process may set them, its owner and group; a new file gets the mode `open()`
    would give it under the process's umask.
    """
    target = check_target(path, inputs=inputs, root=root)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        info = os.stat(target) if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode) if info else _default_mode())
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder (flock on its descriptor) inside the block.

    Every specver writer that reads a file, changes it and writes it back takes this lock
    first, so two of them never interleave. Where flock is unavailable, no lock is taken.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not POSIX)
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise InputError(f"{folder}: cannot lock: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def update_text(
    path: Path,
    change: Callable[[bytes | None], str],
    *,
    inputs: Iterable[Path] = (),
    limit: int | None = None,
) -> str:
    """Read `path`'s bytes (None when missing), write back `change(data)`, under the lock.

    Returns the text written. Concurrent updates of one file run one after the other, so
    none is lost.
    """
    target = check_target(path, inputs=inputs)
    folder = target.parent if str(target.parent) else Path(".")
    with folder_lock(folder):
        old = None
        if target.exists():
            old = read_input(target, str(path), limit=limit)
        new = change(old)
        write_text_atomic(target, new, inputs=inputs)
    return new


def max_input_bytes() -> int:
    """The largest input specver reads (SPECVER_MAX_BYTES overrides the 64 MiB default)."""
    raw = os.environ.get("SPECVER_MAX_BYTES", "")
    return int(raw) if raw.isdigit() else 64 * 1024 * 1024


def too_large(
    label: str, limit: int, size: int | None = None, hint: str = "set SPECVER_MAX_BYTES to raise it"
) -> SourceError:
    """The refusal for an input over the size limit (its size when it is known)."""
    what = f"{size / 1048576:.0f} MiB is larger" if size is not None else "larger"
    return SourceError(f"{label}: {what} than the {limit / 1048576:.4g} MiB limit ({hint})")


def read_input(
    path: Path,
    label: str,
    *,
    limit: int | None = None,
    root: Path | None = None,
    hint: str | None = None,
) -> bytes:
    """The bytes of an input file, checked before and while reading.

    Refused (InputError, one line): a missing path, anything but a regular file (a FIFO is
    never opened for reading: it could hang), a symlink leading outside `root` (default:
    the workspace of the link's folder), a file name the system refuses, and more than
    `limit` bytes (default: SPECVER_MAX_BYTES) counted as they are read, not as reported.
    """
    limit = max_input_bytes() if limit is None else limit
    hint = hint or "set SPECVER_MAX_BYTES to raise it"
    try:
        target = follow_link(Path(path), label, root)
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{label}: is {kind_of(info.st_mode)}, not a file to read")
        if info.st_size > limit:
            raise too_large(label, limit, info.st_size, hint)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(target, flags)
    except FileNotFoundError:
        raise SourceError(f"{label}: no such file") from None
    except PermissionError:
        raise SourceError(f"{label}: permission denied") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SourceError(f"{label}: cannot read: {reason}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
            raise SourceError(f"{label}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"{label}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large(label, limit, None, hint)
    return data


def _default_mode() -> int:
    """0666 less the process's umask: the mode `open()` would give a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
