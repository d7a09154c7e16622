#!/usr/bin/env python3
# Sends one request to a supervisor's control socket and prints the reply:
#   ctl.py STATE_DIR/control REQUEST...
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(120)
s.connect(sys.argv[1])
s.send(" ".join(sys.argv[2:]).encode())
reply = s.recv(4096).decode()
print(reply)
sys.exit(0 if reply.startswith("ok") else 1)
