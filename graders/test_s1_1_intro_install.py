"""1.1 Introduction and installation: the promises each function of exercises/s1_1_intro_install.py must keep.

The report is compared with what torch itself says on this machine; other machines (with CUDA GPUs,
with MPS, without a package) are faked beside the student's code (in the worker, by the observation
`faked_machine_call` of graders/observations/s1_1_intro_install.py) with monkeypatch, undone before it returns.
"""
import functools
import importlib
import importlib.util
import platform

import pytest
import torch

from graders.observations.s1_1_intro_install import (
    _flip_or_square,
    _scale_by_sign,
    exported_outputs,
    faked_machine_call,
    smoke_test_devices,
    traced_outputs,
)
from graders.support import errors, pristine
from graders.support.assertions import (
    assert_tensor,
    check,
    expect_type,
    say,
)
from graders.support.tensors import randn

KEYS = ("python", "torch", "torchvision", "torchaudio", "cuda_built", "cuda_available", "mps_available",
        "device_count", "device_names", "best_device")


def _installed(name):
    try:
        return str(importlib.import_module(name).__version__)
    except ImportError:
        return None


@functools.cache
def _truth() -> dict:
    """This machine as the judge sees it. Computed in the judge only, when a check first asks (this module stays
    in the judge: the student's process imports only graders/observations/s1_1_intro_install.py)."""
    return {"python": platform.python_version(), "torch": str(torch.__version__),
            "torchvision": _installed("torchvision"), "torchaudio": _installed("torchaudio"),
            "cuda_built": torch.version.cuda, "mps_available": bool(torch.backends.mps.is_available())}


def call_on_faked_machine(impl, function: str, args: tuple = (), cuda: int | None = None, mps: bool = False,
                          modules: tuple = (), names: tuple | None = None, broken: tuple = (),
                          cuda_built: str | None | bool = False):
    """In the judge: faked_machine_call with the machine sealed."""
    return faked_machine_call(impl, function, tuple(args),
                              pristine.seal((cuda, mps, tuple(modules), names, tuple(broken), cuda_built)))


def _drawn(run_seed):
    """What the faked machines report in this run (drawn per run: a table built from this file's literals fails):
    an installed package's name and version, a torchaudio version, and the names of two GPUs."""
    generator = torch.Generator().manual_seed(run_seed)
    numbers = [int(n) for n in torch.randint(0, 100, (8,), generator=generator)]
    tag = "".join("abcdefghijklmnopqrstuvwxyz"[n % 26] for n in numbers[:5])
    return {"package": (f"ptgrade_fake_{tag}", f"{numbers[0] % 9 + 1}.{numbers[1]}.{numbers[2]}"),
            "torchaudio": f"2.{numbers[3] % 40 + 50}.{numbers[4] % 10}",
            "gpus": (f"Fake GPU 0 ({tag})", f"Fake GPU 1 ({tag[::-1]}{numbers[5]})")}


def _report(impl, setting, cuda=None, mps=False, modules=(), mistake=None, names=None, cuda_built=False):
    """environment_report() in `setting` (faked as call_on_faked_machine does); a crash becomes a failure that
    names the likely cause: `mistake(error)`'s when it recognises one, else a general one."""
    report, error = errors.attempt(call_on_faked_machine, impl, "environment_report", (), cuda, mps, modules, names,
                                   cuda_built=cuda_built)
    failure = mistake(error) if error is not None and mistake is not None else None
    if failure is not None:
        raise failure
    if error is not None:  # any crash is the failure this check reports
        raise AssertionError(say(
            f"environment_report() on {setting} raised {errors.summary(error)}\n"
            "Hint: a missing package is reported as None (catch ImportError), and GPU names are asked for only "
            "for i in range(torch.cuda.device_count()) when torch.cuda.is_available().",
            f"{setting}에서 environment_report()가 예외를 발생시켰습니다: {errors.summary(error)}\n"
            "힌트: 설치되지 않은 패키지는 None으로 보고하세요(ImportError를 잡으세요). GPU 이름은 "
            "torch.cuda.is_available()일 때만 for i in range(torch.cuda.device_count())로 물어보세요."))
    report = expect_type(report, dict, "environment_report()")
    check(set(report) == set(KEYS), say(f"environment_report() should have exactly the keys {sorted(KEYS)}; got "
                                        f"{sorted(report)}.",
                                        f"environment_report()에는 정확히 {sorted(KEYS)} 키만 있어야 하는데 "
                                        f"실제 키는 {sorted(report)}입니다."),
          say("Use the key names the docstring lists.", "docstring에 나열된 키 이름을 사용하세요."))
    return report


def _field(report, key, want, setting, hint):
    got = report[key]
    same_type = type(got) is type(want) or (want is None and got is None)
    check(got == want and same_type, say(f"environment_report()[{key!r}] on {setting}: expected {want!r}, got {got!r}.",
                                         f"{setting}에서 environment_report()[{key!r}]: 기댓값은 {want!r}인데 "
                                         f"결과는 {got!r}입니다."),
          hint)


# -- versions -----------------------------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("package_version returns the installed module's __version__",
                   ko="package_version은 설치된 모듈의 __version__을 반환합니다")
def test_package_version_matches_the_module(impl, run_seed):
    for name in ("torch", "torchvision", "numpy"):
        want = _truth().get(name) or _installed(name)
        got = impl.package_version(name)
        check(got == want and type(got) is str,
              say(f"package_version({name!r}): expected {want!r} "
                  f"({name}.__version__), got {got!r}.",
                  f"package_version({name!r}): {want!r}({name}.__version__)이어야 하는데 {got!r}입니다."),
              say("Import the module and return str(module.__version__).",
                  "모듈을 import하고 str(module.__version__)을 반환하세요."))
    package, version = _drawn(run_seed)["package"]
    got = call_on_faked_machine(impl, "package_version", (package,), modules=((package, version),))
    check(got == version, say(f"package_version({package!r}) of an installed package whose __version__ is "
                              f"{version!r}: got {got!r}.",
                              f"__version__이 {version!r}인 설치된 패키지의 package_version({package!r}): "
                              f"{got!r}입니다."),
          say("Read the version from the imported module's __version__ (importlib.import_module(name)).",
              "import한 모듈의 __version__에서 버전을 읽으세요(importlib.import_module(name))."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("package_version returns None for a package that is not installed",
                   ko="package_version은 설치되지 않은 패키지에 대해 None을 반환합니다")
def test_package_version_reports_missing_packages_as_none(impl, run_seed):
    hint = say("Wrap the import in try/except ImportError and return None: a missing optional package is not an error.",
               "import를 try/except ImportError로 감싸고 None을 반환하세요: 선택적 패키지가 없는 것은 오류가 아닙니다.")
    for name, fake in (("torchvision", True), ("torchaudio", True), ("ptgrade_no_such_package", False)):
        # sys.modules[name] = None beside the student's code: `import name` there raises ModuleNotFoundError
        got, error = errors.attempt(call_on_faked_machine, impl, "package_version", (name,),
                                    modules=((name, None),) if fake else ())
        if error is not None:
            raise AssertionError(say(f"package_version({name!r}) for a package that is not installed raised "
                                     f"{errors.summary(error)}\nHint: {hint}",
                                     f"설치되지 않은 패키지에 대한 package_version({name!r}) 호출에서 "
                                     f"예외가 발생했습니다: {errors.summary(error)}\n힌트: {hint}"))
        check(got is None, say(f"package_version({name!r}) for a package that is not installed: expected None, got "
                               f"{got!r}.",
                               f"설치되지 않은 패키지에 대한 package_version({name!r}): None이어야 하는데 "
                               f"{got!r}입니다."), hint)
    # installed but broken: its import raises ImportError itself, not ModuleNotFoundError (a torchaudio built for
    # another torch: "undefined symbol"); the docstring's ImportError covers it
    got, error = errors.attempt(call_on_faked_machine, impl, "package_version", ("torchaudio",), broken=("torchaudio",))
    if error is not None:
        narrow = errors.kind(error) == "ImportError"
        raise AssertionError(say(
            f"package_version('torchaudio') for a torchaudio that is installed but fails to import raised "
            f"{errors.summary(error)}"
            + (": only ModuleNotFoundError is caught, but an import can also fail with a plain ImportError (a package "
               "built for another torch), and that is None too." if narrow else "")
            + f"\nHint: {hint}",
            f"설치되어 있지만 import가 실패하는 torchaudio에 대한 package_version('torchaudio') 호출에서 예외가 "
            f"발생했습니다: {errors.summary(error)}"
            + (". ModuleNotFoundError만 잡고 있지만, import는 일반 ImportError로도 실패할 수 있으며(다른 torch용으로 "
               "빌드된 패키지) 그때도 None입니다." if narrow else "")
            + f"\n힌트: {hint}"))
    check(got is None, say(f"package_version('torchaudio') for a torchaudio that is installed but fails to import "
                           f"(ImportError): expected None, got {got!r}.",
                           f"설치되어 있지만 import가 실패하는(ImportError) torchaudio에 대한 "
                           f"package_version('torchaudio'): None이어야 하는데 {got!r}입니다."), hint)
    # and the same function says the version of a package that is there (a None for everything is not this promise)
    package, version = _drawn(run_seed)["package"]
    got, error = errors.attempt(call_on_faked_machine, impl, "package_version", (package,),
                                modules=((package, version),))
    check(error is None and got == version,
          say(f"package_version({package!r}) for an installed package whose __version__ is {version!r}: got "
              f"{errors.summary(error) if error is not None else repr(got)}; None is only for a package that cannot "
              "be imported.",
              f"__version__이 {version!r}인 설치된 패키지에 대한 package_version({package!r}): "
              f"{errors.summary(error) if error is not None else repr(got)}입니다. None은 import할 수 없는 패키지에만 "
              "씁니다."),
          say("Return str(module.__version__) when the import succeeds.",
              "import가 성공하면 str(module.__version__)을 반환하세요."))


# -- the report ---------------------------------------------------------------------------------

PYTHON_HINT = say("The version alone, platform.python_version() (e.g. '3.12.3'); sys.version is a longer sentence "
                  "with the build date and compiler.",
                  "버전만 담긴 platform.python_version()(예: '3.12.3')을 쓰세요. sys.version은 빌드 날짜와 컴파일러까지 "
                  "담긴 더 긴 문자열입니다.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("environment_report agrees with what torch says on this machine",
                   ko="environment_report는 이 컴퓨터에서 torch가 알려주는 값과 일치합니다")
def test_report_matches_what_torch_says_here(impl, run_seed):
    report = _report(impl, say("this machine", "이 컴퓨터"))
    for key in ("python", "torch", "torchvision", "torchaudio", "cuda_built", "mps_available"):
        _field(report, key, _truth()[key], say("this machine", "이 컴퓨터"),
               PYTHON_HINT if key == "python" else say(f"Ask Python and torch for {key}; see the docstring.",
                                                       f"{key} 값은 Python과 torch에 물어보세요. docstring을 참고하세요."))
    cuda = torch.cuda.is_available()
    count = torch.cuda.device_count() if cuda else 0
    _field(report, "cuda_available", cuda, say("this machine", "이 컴퓨터"),
           say("torch.cuda.is_available(), a bool.", "torch.cuda.is_available(), bool 값입니다."))
    _field(report, "device_count", count, say("this machine", "이 컴퓨터"),
           say("torch.cuda.device_count() (0 without CUDA), an int.",
               "torch.cuda.device_count()(CUDA가 없으면 0), int 값입니다."))
    _field(report, "device_names", [torch.cuda.get_device_name(i) for i in range(count)], say("this machine", "이 컴퓨터"),
           say("[torch.cuda.get_device_name(i) for i in range(count)], a list.",
               "[torch.cuda.get_device_name(i) for i in range(count)], list입니다."))
    want = "cuda" if cuda else ("mps" if _truth()["mps_available"] else "cpu")
    _field(report, "best_device", want, say("this machine", "이 컴퓨터"),
           say("best_device().type: a str such as 'cpu'.", "best_device().type: 'cpu' 같은 str입니다."))
    # The same report when torch's answers change (a machine drawn for this run): a report written for this machine
    # only (no CUDA, say) instead of asked of torch at call time does not follow.
    generator = torch.Generator().manual_seed(run_seed + 1)
    count, mps = int(torch.randint(1, 4, (1,), generator=generator)), bool(torch.randint(2, (1,), generator=generator))
    names = tuple(f"{name} #{count}" for name in _drawn(run_seed)["gpus"])[:count] + \
        tuple(f"Fake GPU {i}" for i in range(2, count))
    setting = say(f"a faked machine with {count} CUDA GPU(s), MPS {'present' if mps else 'absent'}",
                  f"CUDA GPU가 {count}개 있고 MPS가 {'있는' if mps else '없는'} 것으로 꾸민 컴퓨터")
    report = _report(impl, setting, cuda=count, mps=mps, names=names)
    hint = say("Ask torch at call time (torch.cuda.is_available(), device_count(), get_device_name(i), "
               "torch.backends.mps.is_available()); do not write down what this machine has.",
               "호출할 때 torch에 물어보세요(torch.cuda.is_available(), device_count(), get_device_name(i), "
               "torch.backends.mps.is_available()). 이 컴퓨터에 있는 것을 코드에 그대로 적어 두지 마세요.")
    for key, want in (("cuda_available", True), ("device_count", count), ("device_names", list(names)),
                      ("mps_available", mps), ("best_device", "cuda"), ("torch", _truth()["torch"])):
        _field(report, key, want, setting, hint)


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("environment_report lists every GPU of a CUDA machine",
                   ko="environment_report는 CUDA 컴퓨터의 모든 GPU를 나열합니다")
def test_report_lists_every_gpu_of_a_cuda_machine(impl, run_seed):
    setting = say("a faked machine with 2 CUDA GPUs", "CUDA GPU 2개가 있는 것으로 꾸민 컴퓨터")
    gpus = _drawn(run_seed)["gpus"]
    report = _report(impl, setting, cuda=2, names=gpus)
    hint = say("Ask torch at call time: count = torch.cuda.device_count(), names = [torch.cuda.get_device_name(i) for i "
               "in range(count)]; get_device_name() with no index names the current device only.",
               "호출할 때 torch에 물어보세요: count = torch.cuda.device_count(), names = "
               "[torch.cuda.get_device_name(i) for i in range(count)]. 인덱스 없이 get_device_name()을 부르면 "
               "현재 장치의 이름만 알려줍니다.")
    _field(report, "cuda_available", True, setting, hint)
    _field(report, "device_count", 2, setting, hint)
    _field(report, "device_names", list(gpus), setting, hint)
    _field(report, "best_device", "cuda", setting, say("CUDA comes first when torch.cuda.is_available().",
                                                       "torch.cuda.is_available()이면 CUDA가 먼저입니다."))


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("Without CUDA, environment_report lists no GPUs and picks MPS",
                   ko="CUDA가 없으면 environment_report는 GPU를 나열하지 않고 MPS를 고릅니다")
def test_report_on_a_machine_without_cuda(impl):
    setting = say("a faked machine without CUDA but with MPS", "CUDA는 없고 MPS는 있는 것으로 꾸민 컴퓨터")
    report = _report(impl, setting, cuda=0, mps=True)
    hint = say("Without CUDA there are no CUDA devices: device_count 0 and device_names [] (asking for a name raises). "
               "torch.version.cuda only says how torch was built.",
               "CUDA가 없으면 CUDA 장치도 없습니다: device_count는 0, device_names는 []입니다(이름을 물으면 예외가 "
               "발생합니다). torch.version.cuda는 torch가 어떻게 빌드되었는지만 알려줍니다.")
    _field(report, "cuda_available", False, setting, hint)
    _field(report, "device_count", 0, setting, hint)
    _field(report, "device_names", [], setting, hint)
    _field(report, "mps_available", True, setting, say("torch.backends.mps.is_available(), a bool.",
                                                       "torch.backends.mps.is_available(), bool 값입니다."))
    _field(report, "best_device", "mps", setting, say("Without CUDA, MPS comes before the CPU.",
                                                      "CUDA가 없으면 CPU보다 MPS가 먼저입니다."))
    # a CUDA build of torch on a machine without an NVIDIA GPU (the docstring's own case): built with CUDA, none usable
    built = "12.8"
    setting = say(f"a faked machine without a GPU whose torch is a CUDA {built} build",
                  f"GPU는 없고 torch는 CUDA {built} 빌드인 것으로 꾸민 컴퓨터")
    report = _report(impl, setting, cuda=0, mps=False, cuda_built=built)
    check(report["cuda_built"] is not None or report["cuda_available"] is not False,
          say(f"environment_report()['cuda_built'] on {setting} is None: cuda_built says how torch was built "
              f"(torch.version.cuda, here {built!r}), whether or not a GPU is there; whether CUDA is usable is "
              "cuda_available.",
              f"{setting}에서 environment_report()['cuda_built']가 None입니다: cuda_built는 GPU가 있든 없든 torch가 "
              f"어떻게 빌드되었는지(torch.version.cuda, 여기서는 {built!r})를 알려줍니다. CUDA를 쓸 수 있는지는 "
              "cuda_available이 알려줍니다."),
          say("\"cuda_built\": torch.version.cuda, as it is, not only when torch.cuda.is_available().",
              "\"cuda_built\": torch.version.cuda를 그대로 쓰세요. torch.cuda.is_available()일 때만 쓰는 것이 아닙니다."))
    # torch.version.cuda read once when the module loads (a constant) gives this machine's own build: also right
    if report["cuda_built"] != torch.version.cuda or torch.version.cuda is None:
        _field(report, "cuda_built", built, setting, hint)
    for key, want in (("cuda_available", False), ("device_count", 0), ("best_device", "cpu")):
        _field(report, key, want, setting, hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("environment_report reports optional packages, present or missing",
                   ko="environment_report는 선택적 패키지가 있든 없든 올바르게 보고합니다")
def test_report_handles_present_and_missing_optional_packages(impl, run_seed):
    audio = _drawn(run_seed)["torchaudio"]
    setting = say(f"a machine with torchaudio {audio} installed", f"torchaudio {audio} 버전이 설치된 컴퓨터")
    report = _report(impl, setting, modules=(("torchaudio", audio),))
    _field(report, "torchaudio", audio, setting, say("Report torchaudio with package_version('torchaudio') like the "
                                                        "others: it is optional, not always absent.",
                                                        "torchaudio도 다른 패키지처럼 package_version('torchaudio')로 "
                                                        "보고하세요: 선택적일 뿐, 늘 없는 것은 아닙니다."))
    setting = say("a machine without torchvision and torchaudio", "torchvision과 torchaudio가 없는 컴퓨터")
    report = _report(impl, setting, modules=(("torchvision", None), ("torchaudio", None)))
    hint = say("Report a package that cannot be imported as None (package_version catches ImportError).",
               "import할 수 없는 패키지는 None으로 보고하세요(package_version이 ImportError를 잡습니다).")
    _field(report, "torchvision", None, setting, hint)
    _field(report, "torchaudio", None, setting, hint)
    _field(report, "torch", _truth()["torch"], setting, say("The other fields do not change.",
                                                         "다른 필드는 바뀌지 않습니다."))


# Whether torchaudio is here, found without importing it (find_spec reads the import system only).
TORCHAUDIO_HERE = importlib.util.find_spec("torchaudio") is not None
TORCHAUDIO_HINT = say("torchaudio is optional: report it with package_version('torchaudio'), as torch and torchvision, so "
                      "its own __version__ appears when it is installed and None when it is not.",
                      "torchaudio는 선택적 패키지입니다: torch, torchvision처럼 package_version('torchaudio')로 보고하면 "
                      "설치되어 있을 때는 torchaudio 자신의 __version__이, 없을 때는 None이 들어갑니다.")


def _torchaudio_report(impl, setting, modules, absent):
    """environment_report() with `modules` faked in sys.modules; when torchaudio is `absent`, an ImportError out of
    the report is named as what it is: torchaudio imported without a guard."""
    def unguarded_import(error):
        if not (absent and isinstance(error, ImportError)):
            return None
        return AssertionError(say(
            f"environment_report() on {setting} crashed importing torchaudio: torchaudio is imported without "
            "catching ImportError (ModuleNotFoundError), so the report dies on every machine without it instead of "
            "saying None.",
            f"{setting}에서 environment_report()가 torchaudio를 import하다가 실패했습니다. ImportError"
            "(ModuleNotFoundError)를 잡지 않고 torchaudio를 import하므로, torchaudio가 없는 컴퓨터에서는 None을 "
            "보고하는 대신 보고서 전체가 실패합니다.") + "\n" + say("Hint", "힌트") + ": " + TORCHAUDIO_HINT)
    return _report(impl, setting, modules=modules, mistake=unguarded_import)


def _torchaudio_field(report, want, setting):
    got = report["torchaudio"]
    check(want == str(torch.__version__) or got != str(torch.__version__),
          say(f"environment_report()['torchaudio'] on {setting} is {got!r}, torch's version: torchaudio is a package of "
              f"its own, with its own __version__ (here {'None: not installed' if want is None else repr(want)}).",
              f"{setting}에서 environment_report()['torchaudio']가 torch의 버전인 {got!r}입니다: torchaudio는 "
              f"자기 __version__을 가진 별개의 패키지입니다(여기서는 "
              f"{'설치되지 않았으므로 None' if want is None else repr(want)})."), TORCHAUDIO_HINT)
    _field(report, "torchaudio", want, setting, TORCHAUDIO_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("environment_report gives torchaudio's own version, or None if missing",
                   ko="environment_report는 torchaudio 자신의 버전을, 없으면 None을 보고합니다")
def test_report_gives_torchaudio_its_own_version_or_none(impl, run_seed):
    audio = _drawn(run_seed)["torchaudio"]
    setting = say(f"a machine with torchaudio {audio} but no torchvision",
                  f"torchaudio {audio} 버전은 있고 torchvision은 없는 컴퓨터")
    report = _torchaudio_report(impl, setting, (("torchaudio", audio), ("torchvision", None)), absent=False)
    _torchaudio_field(report, audio, setting)
    each = say("Report each optional package on its own, with package_version(name): one can be there without the other.",
               "선택적 패키지는 package_version(name)으로 하나씩 따로 보고하세요: 하나만 있고 다른 하나는 없을 수도 있습니다.")
    _field(report, "torchvision", None, setting, each)
    setting = say("a machine without torchaudio", "torchaudio가 없는 컴퓨터")
    report = _torchaudio_report(impl, setting, (("torchaudio", None),), absent=True)
    _torchaudio_field(report, None, setting)
    _field(report, "torchvision", _truth()["torchvision"], setting, each)
    setting = say(f"this machine (torchaudio {'installed' if TORCHAUDIO_HERE else 'not installed'})",
                  f"이 컴퓨터(torchaudio {'설치됨' if TORCHAUDIO_HERE else '설치되지 않음'})")
    report = _torchaudio_report(impl, setting, (), absent=not TORCHAUDIO_HERE)
    _torchaudio_field(report, _truth()["torchaudio"] if TORCHAUDIO_HERE else None, setting)


# -- choosing and using a device ----------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("best_device picks CUDA, then MPS, then the CPU, on any machine",
                   ko="best_device는 어떤 컴퓨터에서든 CUDA, MPS, CPU 순으로 장치를 고릅니다")
def test_best_device_is_right_whatever_the_machine(impl):
    for cuda, mps, want in ((1, False, "cuda"), (4, True, "cuda"), (0, True, "mps"), (0, False, "cpu")):
        machine = say(f"{cuda} CUDA device(s), MPS {'present' if mps else 'absent'}",
                      f"CUDA 장치 {cuda}개, MPS {'있음' if mps else '없음'}")
        got = call_on_faked_machine(impl, "best_device", (), cuda, mps)
        check(not isinstance(got, str),
              say(f"best_device() on a faked machine with {machine} returned the string {got!r}, not a torch.device.",
                  f"꾸민 컴퓨터({machine})에서 best_device()의 반환값이 torch.device가 아니라 문자열 "
                  f"{got!r}입니다."),
              say("A device name is not a device: wrap it, torch.device(\"cuda\"), so callers can read .type and "
                  ".index.",
                  "장치 이름은 장치가 아닙니다. torch.device(\"cuda\")처럼 감싸서 반환해야 호출한 쪽이 .type과 .index를 "
                  "읽을 수 있습니다."))
        check(isinstance(got, torch.device) and got.type == want and got.index in (None, 0),
              say(f"best_device() on a faked machine with {machine}: expected torch.device({want!r}), got {got!r}.",
                  f"꾸민 컴퓨터({machine})에서 best_device(): torch.device({want!r})여야 하는데 "
                  f"{got!r}입니다."),
              say("Decide at call time from torch.cuda.is_available(), then torch.backends.mps.is_available(); "
                  "call them: without the parentheses, `if torch.cuda.is_available:` tests a function, which is "
                  "always true. torch.version.cuda is how torch was built, not whether a GPU is there.",
                  "호출할 때 torch.cuda.is_available(), 그다음 torch.backends.mps.is_available()로 정하세요. "
                  "괄호를 붙여 호출해야 합니다. 괄호 없는 `if torch.cuda.is_available:`는 함수 자체를 검사하므로 "
                  "항상 참입니다. torch.version.cuda는 torch가 어떻게 빌드되었는지일 뿐, GPU가 있는지는 알려주지 "
                  "않습니다."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("smoke_test computes x @ x.T on the device it is given",
                   ko="smoke_test는 주어진 장치에서 x @ x.T를 계산합니다")
def test_smoke_test_computes_on_the_given_device(impl):
    expected = torch.tensor([[5.0, 14.0], [14.0, 50.0]])
    assert_tensor(impl.smoke_test(torch.device("cpu")), expected, "smoke_test(cpu)",
                  hint=say("x = torch.arange(6., device=device).reshape(2, 3); return x @ x.T.",
                           "x를 torch.arange(6., device=device).reshape(2, 3)으로 만든 다음 x @ x.T를 반환하세요."))
    out = errors.calling("smoke_test(meta)", say("Keep the result a tensor on the device (no .item(), .tolist() or .cpu()).",
                                                 "결과는 그 장치에 있는 텐서로 두세요(.item(), .tolist(), .cpu() 금지)."),
                         impl.smoke_test, torch.device("meta"))
    assert_tensor(out, torch.empty(2, 2, device="meta"), "smoke_test(meta)",
                  hint=say("Create x with device=device; torch.arange alone makes it on the CPU.",
                           "x를 device=device로 만드세요. torch.arange만 쓰면 CPU에 만들어집니다."))
    # Where each tensor was made is what the student's process says (a torch function mode there); it can only fail.
    on_cpu = [name for name, kind in smoke_test_devices(impl, torch.device("meta")) if kind == "cpu"]
    check(not on_cpu,
          say(f"smoke_test(meta) made a tensor on the CPU ({', '.join(dict.fromkeys(on_cpu))}) and then moved it: x "
              "should be created directly on the device it is given.",
              f"smoke_test(meta)가 텐서를 CPU에 만든 뒤({', '.join(dict.fromkeys(on_cpu))}) 옮겼습니다: x는 주어진 "
              "장치에 바로 만들어야 합니다."),
          say("Pass device=device to the function that creates x (torch.arange(6., device=device) or torch.tensor(..., "
              "device=device)), instead of .to(device) afterwards: that builds it on the CPU and copies it.",
              "x를 만드는 함수에 device=device를 넘기세요(torch.arange(6., device=device)나 torch.tensor(..., "
              "device=device)). 나중에 .to(device)를 하면 CPU에 만든 뒤 복사합니다."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("environment_report and smoke_test work on a real GPU",
                   ko="environment_report와 smoke_test는 실제 GPU에서 동작합니다")
def test_report_and_smoke_test_on_a_real_gpu(impl):
    report = _report(impl, say("this CUDA machine", "이 CUDA 컴퓨터"))
    count = torch.cuda.device_count()
    _field(report, "device_names", [torch.cuda.get_device_name(i) for i in range(count)],
           say("this CUDA machine", "이 CUDA 컴퓨터"),
           say("[torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]",
               "[torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]를 쓰세요."))
    device = impl.best_device()
    check(isinstance(device, torch.device) and device.type == "cuda",
          say(f"best_device() on a CUDA machine: got {device!r}.", f"CUDA 컴퓨터에서 best_device(): {device!r}입니다."))
    assert_tensor(impl.smoke_test(device), torch.tensor([[5.0, 14.0], [14.0, 50.0]], device=device),
                  say("smoke_test(best_device()) on CUDA", "CUDA에서 smoke_test(best_device())"))


# -- eager execution against a captured graph ---------------------------------------------------

def _positive(seed, n=5):
    """n values whose sum is positive (scale_by_sign doubles them), drawn from `seed`."""
    return randn(n, seed=seed).abs() + 0.1


_TRACE_HINT = say("Return torch.jit.trace(fn, (example,)): it runs fn once on example and records the operations "
                  "that ran, so the `if` is decided once, by example, and the graph replays that branch for every "
                  "input.",
                  "torch.jit.trace(fn, (example,))를 반환하세요. fn을 example로 한 번 실행하며 실행된 연산을 기록하므로, "
                  "`if`는 example에 따라 한 번만 결정되고 그래프는 모든 입력에 그 분기를 다시 실행합니다.")


def _trace_cases():
    """(fn as text, fn, example, the branch example takes and the other branch, each (text, function), [an input
    that takes example's branch, one that takes the other]): scale_by_sign traced on a positive and on a negative
    example, and a second function, so that a trace_graph written for scale_by_sign alone does not pass."""
    double, negate = ("x * 2", lambda t: t * 2), ("-x", lambda t: -t)
    flip_plus_one, square = ("x.flip(0) + 1", lambda t: t.flip(0) + 1), ("x * x", lambda t: t * t)
    descending = [randn(5, seed=seed).sort(descending=True).values for seed in (72, 78)]
    return (("x * 2 if x.sum() > 0 else -x", _scale_by_sign, _positive(70), double, negate,
             [_positive(74), -_positive(75)]),
            ("x * 2 if x.sum() > 0 else -x", _scale_by_sign, -_positive(71), negate, double,
             [-_positive(76), _positive(77)]),
            ("x.flip(0) + 1 if x[0] > x[-1] else x * x", _flip_or_square, descending[0], flip_plus_one, square,
             [descending[1], randn(5, seed=73).sort().values]))


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("trace_graph records only the branch its example took; eager follows the data",
                   ko="trace_graph는 예제가 지나간 분기만 기록하고, 즉시 실행은 데이터를 따릅니다")
def test_trace_graph_keeps_only_the_branch_it_saw(impl):
    for text, fn, example, (taken_text, taken), (other_text, other), (same, across) in _trace_cases():
        outputs = errors.calling("trace_graph(fn, example)", _TRACE_HINT, traced_outputs, impl, fn, example,
                                 [same, across])
        check(isinstance(outputs, list) and len(outputs) == 2,
              say("trace_graph(fn, example) should return a callable graph.",
                  "trace_graph(fn, example)는 호출할 수 있는 그래프를 반환해야 합니다."), _TRACE_HINT)
        what = say(f"the trace of fn(x) = {text}, made on an example that takes the branch {taken_text}, called "
                   "on an input that takes the same branch",
                   f"fn(x) = {text}일 때, 분기({taken_text})를 지나는 예제로 trace한 그래프를 같은 분기를 지나는 "
                   "입력으로 실행한 결과")
        assert_tensor(outputs[0], taken(same), what, hint=_TRACE_HINT, mistakes={
            (say("the branch recorded is not the one example takes: the trace was made on another tensor.",
                 "기록된 분기가 example이 지나는 분기가 아닙니다: 다른 텐서로 trace했습니다."),
             say("Trace on example itself, torch.jit.trace(fn, (example,)): the branch recorded is the tracing "
                 "input's.",
                 "example 자체로 trace하세요(torch.jit.trace(fn, (example,))): 기록되는 분기는 trace할 때 넣은 입력의 "
                 "분기입니다.")): other(same)})
        what = say(f"the same trace called on an input that takes the other branch ({other_text} in eager mode)",
                   f"같은 trace를 다른 분기(즉시 실행이라면 {other_text})를 지나는 입력으로 실행한 결과")
        assert_tensor(outputs[1], taken(across), what, hint=_TRACE_HINT, mistakes={
            (say("it follows the data, as eager execution does: a trace replays the branch example took for every "
                 "input. trace_graph returned fn itself (or torch.compile or torch.jit.script of it), not a trace.",
                 "즉시 실행처럼 데이터를 따릅니다. trace는 모든 입력에 example이 지나간 분기를 다시 실행합니다. "
                 "trace_graph가 trace가 아니라 fn 자체(또는 그것의 torch.compile이나 torch.jit.script)를 "
                 "반환했습니다."), _TRACE_HINT): other(across)})


_EXPORT_HINT = say("torch.export cannot decide a Python `if` on a tensor's value: in a small nn.Module, return "
                   "torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,)) from forward, and return "
                   "torch.export.export(module, (example,)).",
                   "torch.export는 텐서 값에 대한 Python `if`를 결정할 수 없습니다. 작은 nn.Module의 forward에서 "
                   "torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))를 반환하고, "
                   "torch.export.export(module, (example,))를 반환하세요.")


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("export_scale_by_sign keeps both branches: the program follows the data as eager does",
                   ko="export_scale_by_sign은 두 분기를 모두 유지합니다: 프로그램이 즉시 실행처럼 데이터를 따릅니다")
def test_export_scale_by_sign_follows_the_data(impl):
    # One export, on an example with x.sum() > 0 (the first export in a process is slow: torch.export loads its
    # tracer); the trace check above covers both signs of example.
    example, same, across = _positive(80), _positive(82), -_positive(83)
    small = torch.tensor([0.25, -0.5, 0.5, 0.25, 0.0])  # sum 0.5: positive, just
    balanced = torch.tensor([1.0, -1.0, 2.0, -2.0, 0.0])  # sum exactly 0: not > 0, so negated
    seen = errors.calling("export_scale_by_sign(example)", _EXPORT_HINT, exported_outputs, impl, example,
                          [same, across, small, balanced])
    kind = seen["kind"]
    check(kind == "ExportedProgram",
          say(f"export_scale_by_sign(example) returned a {kind}, not the ExportedProgram torch.export.export returns."
              + (" program.module() is its runnable module: return the program itself." if kind == "GraphModule"
                 else ""),
              f"export_scale_by_sign(example)가 torch.export.export가 반환하는 ExportedProgram이 아니라 {kind} 객체를 "
              "반환했습니다." + (" program.module()은 실행할 수 있는 모듈일 뿐이니 프로그램 자체를 반환하세요."
                               if kind == "GraphModule" else "")), _EXPORT_HINT)
    what = say("program.module()(x) for the program exported on an example with x.sum() > 0, x taking the same branch",
               "x.sum() > 0인 예제로 export한 프로그램의 program.module()(x) (x는 같은 분기를 지남)")
    assert_tensor(seen["outputs"][0], 2 * same, what, hint=_EXPORT_HINT, mistakes={
        (say("the branches are swapped: torch.cond runs true_fn where pred is True, here x.sum() > 0 (x * 2).",
             "분기가 뒤바뀌었습니다: torch.cond는 pred가 True일 때 true_fn을 실행합니다. 여기서는 x.sum() > 0일 때 "
             "x * 2입니다."), _EXPORT_HINT): -same})
    what = say("program.module()(x) for the program exported on an example with x.sum() > 0, x taking the other branch "
               "(x.sum() < 0)",
               "x.sum() > 0인 예제로 export한 프로그램의 program.module()(x) (x는 다른 분기를 지남: x.sum() < 0)")
    assert_tensor(seen["outputs"][1], -across, what, hint=_EXPORT_HINT, mistakes={
        (say("only the branch example took: the program was specialised to example's branch, as a trace is. "
             "The choice must be in the graph, with torch.cond (or torch.where).",
             "example이 지나간 분기만 있습니다: trace처럼 프로그램이 example의 분기에 특수화되었습니다. 선택은 "
             "torch.cond(또는 torch.where)로 그래프 안에 있어야 합니다."), _EXPORT_HINT): 2 * across})
    condition = say("The condition is x.sum() > 0, strictly: a sum of exactly 0 negates, a sum of 0.5 doubles.",
                    "조건은 엄격하게 x.sum() > 0입니다: 합이 정확히 0이면 부호를 뒤집고, 합이 0.5이면 두 배로 만듭니다.")
    for x, want, text in ((small, 2 * small, "[0.25, -0.5, 0.5, 0.25, 0.0] (x.sum() = 0.5)"),
                          (balanced, -balanced, "[1.0, -1.0, 2.0, -2.0, 0.0] (x.sum() = 0)")):
        got = seen["outputs"][2 if x is small else 3]
        assert_tensor(got, want, say(f"program.module()(x) for x = {text}", f"x = {text}일 때 program.module()(x)"),
                      hint=condition)
