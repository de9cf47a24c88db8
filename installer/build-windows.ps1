# Build the Windows installer in one command, from a checkout:
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
# Needs Python 3.12+ (py launcher or python on PATH), Node.js (its npm fetches the pinned OCR model) and NSIS
# (makensis; winget install NSIS.NSIS).
# Result: build\installer\ntm-desktop-<version>-setup.exe
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Out = Join-Path $Root "build\installer"
$Venv = Join-Path $Root ".venv-build"

if (-not (Test-Path "$Venv\Scripts\python.exe")) {
    if (Get-Command py -ErrorAction SilentlyContinue) { py -3.12 -m venv $Venv } else { python -m venv $Venv }
}
$Py = "$Venv\Scripts\python.exe"
& $Py -c "import sys; assert sys.version_info >= (3, 12), 'Python 3.12+ is needed (PySide6 on 3.11 is capped below 6.12)'"
& $Py -m pip install --quiet --upgrade pip
& $Py -m pip install --quiet -e ".[test]" "pyinstaller>=6.10"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

# Tesseract's Vietnamese model for OCR of scans: a pinned package, checked by its SHA-256, into build\tessdata;
# the spec ships it as resources\tessdata (a Windows machine has no system copy to take it from).
$Tessdata = Join-Path $Root "build\tessdata"
& $Py installer\fetch_ocr_model.py --out $Tessdata
if ($LASTEXITCODE -ne 0) { throw "the OCR model could not be fetched" }
$env:NTM_TESSDATA = $Tessdata

$Version = & $Py -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

& $Py -m PyInstaller --noconfirm --log-level WARN --distpath "$Out\dist" --workpath "$Out\work" installer\ntm-desktop.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Remove-Item Env:\NTM_TESSDATA
if (-not (Test-Path "$Out\dist\ntm-desktop\_internal\resources\tessdata\vie.traineddata")) {
    throw "the frozen folder has no OCR model (resources\tessdata\vie.traineddata)"
}
$env:QT_QPA_PLATFORM = "offscreen"
& "$Out\dist\ntm-desktop\ntm-desktop-cli.exe" selfcheck
if ($LASTEXITCODE -ne 0) { throw "the frozen selfcheck failed" }
Remove-Item Env:\QT_QPA_PLATFORM

$MakeNsis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $MakeNsis) { $MakeNsis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
& $MakeNsis /V2 /INPUTCHARSET UTF8 "/DVERSION=$Version" "/DSOURCE_DIR=$Out\dist\ntm-desktop" `
    "/DOUT_FILE=$Out\ntm-desktop-$Version-setup.exe" installer\ntm-desktop.nsi
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Write-Host "Installer: $Out\ntm-desktop-$Version-setup.exe"
