#include "export/endpoint.h"

#include <gtest/gtest.h>

namespace scry::exporter {
namespace {

Endpoint parse(const std::string &spec, bool allow_remote = false) {
  Endpoint endpoint;
  std::string error;
  EXPECT_TRUE(parseEndpoint(spec, allow_remote, endpoint, error)) << spec << ": " << error;
  return endpoint;
}

std::string failure(const std::string &spec, bool allow_remote = false) {
  Endpoint endpoint;
  std::string error;
  EXPECT_FALSE(parseEndpoint(spec, allow_remote, endpoint, error)) << spec;
  return error;
}

TEST(Endpoint, PortAloneListensOnLoopback) {
  Endpoint e = parse("prometheus=9464");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 9464);
}

TEST(Endpoint, AddressesAndPorts) {
  EXPECT_EQ(parse("prometheus=127.0.0.2:80").host, "127.0.0.2");
  EXPECT_EQ(parse("prometheus=localhost:0").port, 0);
  Endpoint v6 = parse("prometheus=[::1]:9100");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 9100);
}

TEST(Endpoint, RemoteAddressesNeedConsent) {
  EXPECT_NE(failure("prometheus=0.0.0.0:9100").find("--export-allow-remote"), std::string::npos);
  EXPECT_NE(failure("prometheus=[::]:9100").find("not a loopback"), std::string::npos);
  EXPECT_EQ(parse("prometheus=0.0.0.0:9100", true).host, "0.0.0.0");
}

TEST(Endpoint, MalformedSpecs) {
  EXPECT_NE(failure("graphite=1").find("unknown exporter"), std::string::npos);
  EXPECT_NE(failure("prometheus=127.0.0.1:99999").find("not a port"), std::string::npos);
  EXPECT_NE(failure("prometheus=").find("not a port"), std::string::npos);
  EXPECT_NE(failure("prometheus=example.com:80").find("not a numeric"), std::string::npos);
  EXPECT_NE(failure("prometheus=[::1]9100").find("[ADDR]:PORT"), std::string::npos);
}

TEST(Endpoint, Loopback) {
  EXPECT_TRUE(isLoopback("127.255.0.1"));
  EXPECT_TRUE(isLoopback("::1"));
  EXPECT_FALSE(isLoopback("10.0.0.1"));
  EXPECT_FALSE(isLoopback("::"));
}

} // namespace
} // namespace scry::exporter
