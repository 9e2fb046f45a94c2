#pragma once
// Dropping the connection of the request being served, without any answer.
//
// httplib 0.11 does not hand its socket to handlers. The socket serving `req` is the one whose
// local port is req.local_port and whose peer port is req.remote_port; it is found among this
// process's descriptors and shut down (both directions). httplib still owns and closes it; its
// attempt to write the answer fails, so the client sees the connection closed with no response.

#include <httplib.h>

namespace wxsim {

// The descriptor of the socket serving `req`, or -1 when it cannot be found.
int find_connection(const httplib::Request& req);

// Shuts the socket `fd` down in both directions (httplib still closes it).
void drop_connection(int fd);

}  // namespace wxsim
