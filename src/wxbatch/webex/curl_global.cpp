#include "wxbatch/webex/curl_global.hpp"

#include <stdexcept>

#include <curl/curl.h>

namespace wxbatch::webex {

CurlGlobal::CurlGlobal() {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        throw std::runtime_error("libcurl could not be initialised (curl_global_init)");
    }
}

CurlGlobal::~CurlGlobal() {
    curl_global_cleanup();
}

void CurlGlobal::ensure() {
    static const CurlGlobal k_instance;
}

}  // namespace wxbatch::webex
