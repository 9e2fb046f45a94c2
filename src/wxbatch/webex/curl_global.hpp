#pragma once
// curl_global_init exactly once per process, cleaned up at exit (cpr's CurlHolder).

namespace wxbatch::webex {

class CurlGlobal {
  public:
    // Initialises libcurl on the first call (thread-safe); later calls do nothing. Throws
    // std::runtime_error when libcurl cannot be initialised.
    static void ensure();

    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;

  private:
    CurlGlobal();
    ~CurlGlobal();
};

}  // namespace wxbatch::webex
