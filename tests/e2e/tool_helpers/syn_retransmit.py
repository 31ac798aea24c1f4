#!/usr/bin/env python3
"""Makes the kernel retransmit SYNs over loopback: a listener with a backlog of
0 that never accepts drops the SYNs of every connection after the first, so the
clients send them again after the initial 1 s retransmission timeout."""
import socket
import time

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
clients = []
for _ in range(4):
    client = socket.socket()
    client.setblocking(False)
    client.connect_ex(server.getsockname())
    clients.append(client)
time.sleep(1.5)
