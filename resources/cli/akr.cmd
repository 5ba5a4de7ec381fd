@echo off
rem akr as installed with Agent Keyring: runs akr.js (beside this file) with the app's own
rem Electron as Node. Put this folder on your PATH to run akr from any terminal.
setlocal
set "APP=%~dp0..\..\Agent Keyring.exe"
if exist "%APP%" goto run
echo akr: Agent Keyring's program is not at "%APP%". Install Agent Keyring again. 1>&2
exit /b 127
:run
set "ELECTRON_RUN_AS_NODE=1"
"%APP%" "%~dp0akr.js" %*
exit /b %ERRORLEVEL%
