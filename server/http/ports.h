// Socket chores of the HTTP listener that cpprestsdk cannot do: finding a
// free port (it binds port 0 but cannot say which port it got) and marking
// its listening socket close-on-exec (it leaves it inheritable). Plain
// POSIX, no cpprestsdk. Thread-safe.
#pragma once

#include <string>

namespace latih::server::http {

// A port free right now on `host` (an IPv4 or IPv6 literal; anything else
// probes the wildcard address), found by binding a socket to port 0 and
// closing it; 0 if none. Another process may take it before the caller
// binds it: retry on "address in use".
int ReserveFreePort(const std::string& host);

// Sets FD_CLOEXEC on this process's listening sockets bound to `port`, so
// that a child spawned by the server (or a test) does not keep the port
// open after the listener stops.
void SetCloexecOnListeningSocket(int port);

}  // namespace latih::server::http
