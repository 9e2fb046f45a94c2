#include <gtest/gtest.h>

#include "wxbatch/report/redact.hpp"

namespace wxbatch::report {
namespace {

TEST(RedactEmails, MasksLocalPartKeepsDomain) {
    EXPECT_EQ(redact_emails("person alice.smith@example.com exists"),
              "person a***@example.com exists");
    EXPECT_EQ(redact_emails("a@b.c and bob+x@corp.io"), "a@b.c and b***@corp.io");
    EXPECT_EQ(redact_emails("no address here @ all"), "no address here @ all");
    EXPECT_EQ(redact_emails(""), "");
}

}  // namespace
}  // namespace wxbatch::report
