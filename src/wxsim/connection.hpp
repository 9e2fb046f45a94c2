#pragma once
// Dropping the connection of the request being served, without any answer.
//
// httplib 0.11 does not hand its socket to handlers. The socket serving `req` is the one whose
// local port is req.local_port and whose peer port is req.remote_port; it is found among this
// process's descriptors and shut down (both directions). httplib still owns and closes it; its
// attempt to write the answer fails, so the client sees the connection closed with no response.

#include <httplib.h>

namespace wxsim {

// Shuts down the socket serving `req`. False when it could not be found.
bool drop_connection(const httplib::Request& req);

}  // namespace wxsim
