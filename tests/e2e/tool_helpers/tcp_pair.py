#!/usr/bin/env python3
"""One TCP connection over loopback: listen, connect, accept, send a few bytes
each way, close both ends (tcpconnect, tcpaccept and tcplife see it)."""
import socket

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
client = socket.create_connection(server.getsockname())
conn, _ = server.accept()
client.sendall(b"ping")
conn.recv(4)
conn.sendall(b"pong")
client.recv(4)
client.close()
conn.close()
server.close()
