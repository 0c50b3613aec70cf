// Test helper for the Last Will: connects with a retained Will, prints "connected" and waits
// to be killed. Usage: mqtt_will_helper BROKER_URL CLIENT_ID WILL_TOPIC WILL_PAYLOAD
#include <cstdio>

#include "agent/mqtt/mqtt_link.h"

int main(int argc, char** argv) {
  using namespace rigkeeper;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s BROKER_URL CLIENT_ID WILL_TOPIC WILL_PAYLOAD\n", argv[0]);
    return 1;
  }
  asio::io_context io;
  agent::MqttLinkOptions opts;
  opts.broker_uri = argv[1];
  opts.client_id = argv[2];
  opts.will_topic = argv[3];
  opts.will_payload = argv[4];
  opts.reconnect_min = std::chrono::milliseconds(50);
  agent::MqttLink link(io, opts);
  link.on_connected([] {
    std::printf("connected\n");
    std::fflush(stdout);
  });
  if (auto started = link.start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  auto guard = asio::make_work_guard(io);
  io.run();
  return 0;
}
