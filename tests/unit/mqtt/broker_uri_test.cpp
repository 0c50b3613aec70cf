#include "agent/mqtt/broker_uri.h"

#include <gtest/gtest.h>

namespace rigkeeper::agent {
namespace {

TEST(BrokerUri, MapsSchemesAndFillsDefaultPorts) {
  struct Case {
    const char* in;
    const char* paho;
    bool tls;
  };
  for (const Case& c :
       {Case{"tcp://broker:1884", "tcp://broker:1884", false},
        Case{"mqtt://broker", "tcp://broker:1883", false},
        Case{"ssl://10.0.0.5:8884", "ssl://10.0.0.5:8884", true},
        Case{"mqtts://broker.site-1.example", "ssl://broker.site-1.example:8883", true},
        Case{"mqtt://[::1]:1885", "tcp://[::1]:1885", false},
        Case{"mqtts://[fe80::1]", "ssl://[fe80::1]:8883", true},
        Case{"tcp://broker:1883/", "tcp://broker:1883", false}}) {
    auto uri = parse_broker_uri(c.in);
    ASSERT_TRUE(uri) << c.in << ": " << uri.error().message;
    EXPECT_EQ(uri->paho_uri, c.paho) << c.in;
    EXPECT_EQ(uri->tls, c.tls) << c.in;
  }
}

TEST(BrokerUri, RejectsWhatPahoWouldMisread) {
  for (const char* bad : {"", "broker:1883", "http://broker", "ws://broker:9001", "tcp://",
                          "tcp://:1883", "tcp://broker:", "tcp://broker:0", "tcp://broker:65536",
                          "tcp://broker:12ab", "tcp://user:pw@broker", "tcp://broker/path",
                          "tcp://bro ker", "tcp://[::1", "tcp://[::1]x", "tcp://[zz]:1"}) {
    auto uri = parse_broker_uri(bad);
    ASSERT_FALSE(uri) << bad;
    EXPECT_EQ(uri.error().code, Errc::kConfig);
    EXPECT_NE(uri.error().message.find(std::string("'") + bad + "'"), std::string::npos)
        << uri.error().message;
  }
}

}  // namespace
}  // namespace rigkeeper::agent
