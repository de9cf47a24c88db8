; NTM Desktop installer: per-user (no administrator), Vietnamese texts, keeps the user's data on uninstall
; unless they tick the box. Build (see build-windows.ps1 / freeze_and_check.sh):
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSOURCE_DIR=dist\ntm-desktop -DOUT_FILE=ntm-desktop-setup.exe installer\ntm-desktop.nsi
Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\dist\ntm-desktop"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "ntm-desktop-${VERSION}-setup.exe"
!endif

!define APP_NAME "NTM Desktop"
!define APP_EXE "ntm-desktop.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\NTMDesktop"
; platformdirs.user_data_dir("NTM Desktop", "NTM", roaming=False) on Windows: data, backups and logs
!define DATA_DIR "$LOCALAPPDATA\NTM\NTM Desktop"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\${APP_NAME}" "InstallDir"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "..\resources\icons\ntm.ico"
!define MUI_UNICON "..\resources\icons\ntm.ico"
!define MUI_ABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình sẽ cài ${APP_NAME} - phần mềm theo dõi văn bản chỉ đạo, nhiệm vụ và tiêu chí nông thôn mới - cho tài khoản Windows đang dùng. Không cần quyền quản trị, không cần mạng Internet.$\r$\n$\r$\nNếu ${APP_NAME} đang mở, hãy đóng lại trước khi tiếp tục. Dữ liệu đã có được giữ nguyên khi cài bản mới.$\r$\n$\r$\nBấm Tiếp để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "Đã cài đặt xong ${APP_NAME}"
!define MUI_FINISHPAGE_TEXT "${APP_NAME} đã được cài đặt. Biểu tượng có trên màn hình nền và trong menu Start.$\r$\n$\r$\nPhần mềm tự sao lưu dữ liệu mỗi ngày; nên chọn thêm thư mục sao lưu trên USB trong mục Sao lưu và khôi phục."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME} ngay"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "Chọn những gì cần gỡ bỏ. Dữ liệu (văn bản, nhiệm vụ, tệp đính kèm) và các bản sao lưu được GIỮ LẠI, trừ khi bạn đánh dấu ô bên dưới. Bản sao lưu trên USB không bao giờ bị xóa."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "LegalCopyright" "${APP_NAME}"

Section "${APP_NAME}" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; a previous version's program files go first; the data folder is elsewhere and is not touched
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Gỡ bỏ ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "Software\${APP_NAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "un.Chương trình ${APP_NAME}" UnSecApp
  SectionIn RO
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\ntm-desktop.exe"
  Delete "$INSTDIR\ntm-desktop-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP_NAME}"
SectionEnd

Section /o "un.Xóa cả dữ liệu và các bản sao lưu trên máy này" UnSecData
  MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "Xóa vĩnh viễn toàn bộ dữ liệu và các bản sao lưu trong ${DATA_DIR}?$\r$\n$\r$\nKhông thể hoàn tác. Bản sao lưu trên USB (nếu có) vẫn được giữ." IDYES +2
  Return
  RMDir /r "${DATA_DIR}"
  RMDir "$LOCALAPPDATA\NTM"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} "Gỡ chương trình, lối tắt trên màn hình nền và trong menu Start."
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "Chỉ đánh dấu khi không còn cần dữ liệu trên máy này: văn bản, nhiệm vụ, tệp đính kèm, nhật ký và các bản sao lưu sẽ bị xóa."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
