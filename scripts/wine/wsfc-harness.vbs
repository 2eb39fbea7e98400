
' ---- Test harness (scripts/winkit.sh appends this to a generated Generic Script) ----
' It stands in for the cluster's Generic Script resource: a Resource object with
' LogInformation and Name, then the entry points named on the command line, in order,
' each result printed as "RESULT Entry=value". "time:N" runs LooksAlive N times and
' prints each wall time in milliseconds. Wine stops a script silently (exit 0) on an
' error, so the last line, "END", says the whole run happened.
Class FakeResource
	Public Name
	Public Sub LogInformation(text)
		WScript.Echo "LOG " & text
	End Sub
End Class

Dim Resource, harnessArg, harnessT0, harnessI, harnessN
Set Resource = New FakeResource
Resource.Name = "iiskit test resource"
' (an index loop: Wine's cscript cannot enumerate WScript.Arguments with For Each)
For harnessN = 0 To WScript.Arguments.Count - 1
	harnessArg = WScript.Arguments(harnessN)
	Select Case harnessArg
	Case "Open": WScript.Echo "RESULT Open=" & Open()
	Case "Online": WScript.Echo "RESULT Online=" & Online()
	Case "LooksAlive": WScript.Echo "RESULT LooksAlive=" & LooksAlive()
	Case "IsAlive": WScript.Echo "RESULT IsAlive=" & IsAlive()
	Case "Offline": WScript.Echo "RESULT Offline=" & Offline()
	Case "Terminate": WScript.Echo "RESULT Terminate=" & Terminate()
	Case "Close": WScript.Echo "RESULT Close=" & Close()
	Case Else
		If Left(harnessArg, 5) = "time:" Then
			For harnessI = 1 To CInt(Mid(harnessArg, 6))
				harnessT0 = Timer()
				If Not LooksAlive() Then WScript.Echo "RESULT timed LooksAlive=False"
				WScript.Echo "TIME " & CLng((Timer() - harnessT0) * 1000)
			Next
		Else
			WScript.Echo "RESULT unknown entry " & harnessArg
		End If
	End Select
Next
WScript.Echo "END"
