// The Windows event channels, live: one EvtSubscribe per channel in pull mode. The subscription's signal
// event is waited on through Asio's object_handle; each wake drains bounded batches with EvtNext. Every event
// carries the bookmark after it (EvtUpdateBookmark + EvtRender). A stored bookmark that is no longer valid
// (the log was cleared or wrapped) restarts from the oldest event, skipping the record ids already seen, and
// is reported as a gap. A missing channel is tolerated and retried; a failing subscription (the Event Log
// service restarted) is opened again with backoff, from the last bookmark.
#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/windows/object_handle.hpp>

#include "agent/windows/event_channel_source.h"
#include "events/event_element.h"
#include "platform/windows/evt.h"
#include "platform/windows/win_text.h"

namespace rdpmend::agent {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr DWORD kBatch = 16;
constexpr int kBatchesPerTurn = 64;  // then yield to the io_context
constexpr auto kMaxBackoff = std::chrono::seconds(60);
constexpr auto kMissingChannelRetry = std::chrono::minutes(5);

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// <Bookmark Channel='System' RecordId='1234' IsCurrent='true'/> -> 1234.
std::uint64_t bookmark_record_id(const std::string& xml) {
  auto at = xml.find("RecordId='");
  if (at == std::string::npos) return 0;
  at += 10;
  std::uint64_t id = 0;
  std::from_chars(xml.data() + at, xml.data() + xml.size(), id);
  return id;
}

std::string failure(const char* call, DWORD code) {
  if (code == ERROR_SUCCESS)
    return std::string(call) + " failed without an error code (not implemented here)";
  return std::string(call) + " failed: " + win::error_text(code);
}

class EventChannelSource final : public EventSource {
 public:
  EventChannelSource(asio::io_context& io, WatchedChannel watched)
      : io_(io), watched_(std::move(watched)), signal_(io), retry_(io) {}

  std::string channel() const override { return "windows:" + watched_.path; }

  void start(const std::string& bookmark, EventSink sink) override {
    sink_ = std::move(sink);
    stored_bookmark_ = bookmark;
    stopped_ = false;
    subscribe();
  }

  void stop() override {
    stopped_ = true;
    boost::system::error_code ignored;
    retry_.cancel();
    signal_.close(ignored);
    subscription_.reset();
  }

 private:
  enum class Start { kAfterBookmark, kFuture, kOldest };

  void subscribe() {
    if (stopped_) return;
    Start from = !stored_bookmark_.empty() ? Start::kAfterBookmark
                 : restart_at_oldest_      ? Start::kOldest
                                           : Start::kFuture;
    // A stored bookmark is needed before subscribing; a new one only once a subscription exists (Wine aborts
    // the process on EvtCreateBookmark, while its EvtSubscribe only fails).
    bookmark_.reset();
    if (from == Start::kAfterBookmark) {
      SetLastError(ERROR_SUCCESS);
      bookmark_.reset(EvtCreateBookmark(win::widen(stored_bookmark_).c_str()));
      if (!bookmark_) return bookmark_invalid(failure("EvtCreateBookmark", GetLastError()));
    }
    HANDLE event = CreateEventW(nullptr, TRUE, TRUE, nullptr);  // manual reset, set: the first wait drains
    if (!event) return retry_later(failure("CreateEventW", GetLastError()), next_backoff());
    boost::system::error_code ec;
    signal_.close(ec);
    signal_.assign(event, ec);
    if (ec) {
      CloseHandle(event);
      return retry_later("wait on the subscription signal: " + ec.message(), next_backoff());
    }
    const std::wstring query = win::widen("<QueryList><Query Id=\"0\" Path=\"" + xml_escape(watched_.path) +
                                          "\"><Select Path=\"" + xml_escape(watched_.path) + "\">" +
                                          xml_escape(watched_.xpath) + "</Select></Query></QueryList>");
    DWORD flags = from == Start::kAfterBookmark ? EvtSubscribeStartAfterBookmark | EvtSubscribeStrict
                  : from == Start::kOldest      ? EvtSubscribeStartAtOldestRecord
                                                : EvtSubscribeToFutureEvents;
    SetLastError(ERROR_SUCCESS);
    subscription_.reset(EvtSubscribe(nullptr, signal_.native_handle(), nullptr, query.c_str(),
                                     from == Start::kAfterBookmark ? bookmark_.get() : nullptr, nullptr,
                                     nullptr, flags));
    if (!subscription_) {
      DWORD code = GetLastError();
      if (code == ERROR_EVT_CHANNEL_NOT_FOUND)
        return retry_later(
            "channel " + watched_.path + " does not exist on this host; checking again in 5 min",
            kMissingChannelRetry);
      if (from == Start::kAfterBookmark && (code == ERROR_NOT_FOUND || code == ERROR_EVT_QUERY_RESULT_STALE ||
                                            code == ERROR_EVT_QUERY_RESULT_INVALID_POSITION))
        return bookmark_invalid(failure("EvtSubscribe", code));
      return retry_later(failure("EvtSubscribe", code) + " (" + watched_.path + ")", next_backoff());
    }
    if (!bookmark_) {
      SetLastError(ERROR_SUCCESS);
      bookmark_.reset(EvtCreateBookmark(nullptr));
      if (!bookmark_) {
        subscription_.reset();
        return retry_later(failure("EvtCreateBookmark", GetLastError()), next_backoff());
      }
    }
    backoff_ = std::chrono::seconds(0);
    wait();
  }

  // The log was cleared or wrapped past the bookmark: read from the oldest event, skipping what was seen.
  void bookmark_invalid(const std::string& why) {
    skip_through_ = std::max(skip_through_, bookmark_record_id(stored_bookmark_));
    if (sink_.gap)
      sink_.gap(watched_.path + ": the stored bookmark is no longer valid (" + why +
                "); reading from the oldest event, skipping records up to " + std::to_string(skip_through_));
    stored_bookmark_.clear();
    restart_at_oldest_ = true;
    asio::post(io_, [this] { subscribe(); });
  }

  void wait() {
    signal_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopped_) return;
      drain();
    });
  }

  void drain() {
    EVT_HANDLE batch[kBatch];
    for (int turn = 0; turn < kBatchesPerTurn; ++turn) {
      DWORD returned = 0;
      SetLastError(ERROR_SUCCESS);
      if (!EvtNext(subscription_.get(), kBatch, batch, 0, 0, &returned)) {
        DWORD code = GetLastError();
        if (code == ERROR_NO_MORE_ITEMS) {
          ResetEvent(signal_.native_handle());
          // An event that arrived between EvtNext and ResetEvent would wait for the next one: look once more.
          if (EvtNext(subscription_.get(), kBatch, batch, 0, 0, &returned)) {
            deliver(batch, returned);
            continue;
          }
          wait();
          return;
        }
        // The Event Log service went away (restart): subscribe again from the last bookmark.
        subscription_.reset();
        return retry_later(failure("EvtNext", code) + " (" + watched_.path + ")", next_backoff());
      }
      deliver(batch, returned);
    }
    asio::post(io_, [this] {
      if (!stopped_) drain();
    });
  }

  void deliver(EVT_HANDLE* batch, DWORD returned) {
    std::vector<win::UniqueEvt> owned;
    for (DWORD i = 0; i < returned; ++i) owned.emplace_back(batch[i]);
    for (auto& handle : owned) {
      DWORD error = 0;
      auto xml = win::render_xml(handle.get(), EvtRenderEventXml, error);
      if (!xml) {
        if (sink_.error) sink_.error(watched_.path + ": " + failure("EvtRender", error));
        continue;
      }
      auto parsed = events::parse_event_element(win::narrow(*xml));
      auto* event = std::get_if<events::Event>(&parsed);
      if (!event) {
        if (sink_.error) sink_.error(watched_.path + ": " + std::get<events::FragmentError>(parsed).message);
        continue;
      }
      EvtUpdateBookmark(bookmark_.get(), handle.get());
      auto bookmark = win::render_xml(bookmark_.get(), EvtRenderBookmark, error);
      std::string bookmark_text = bookmark ? win::narrow(*bookmark) : std::string();
      stored_bookmark_ = bookmark_text;                 // a resubscription resumes here
      if (event->record_id <= skip_through_) continue;  // seen before the log was cleared or wrapped
      event->source = watched_.path;
      sink_.event(SourcedEvent{std::move(*event), channel(), bookmark_text});
    }
  }

  std::chrono::seconds next_backoff() {
    backoff_ = std::min<std::chrono::seconds>(kMaxBackoff, backoff_.count() == 0 ? 1s : backoff_ * 2);
    return backoff_;
  }

  void retry_later(const std::string& why, std::chrono::seconds after) {
    if (sink_.error) sink_.error(why + "; retrying in " + std::to_string(after.count()) + " s");
    retry_.expires_after(after);
    retry_.async_wait([this](boost::system::error_code ec) {
      if (!ec && !stopped_) subscribe();
    });
  }

  asio::io_context& io_;
  WatchedChannel watched_;
  asio::windows::object_handle signal_;
  asio::steady_timer retry_;
  EventSink sink_;
  win::UniqueEvt subscription_;
  win::UniqueEvt bookmark_;
  std::string stored_bookmark_;
  std::uint64_t skip_through_ = 0;
  bool restart_at_oldest_ = false;
  bool stopped_ = true;
  std::chrono::seconds backoff_{0};
};

}  // namespace

std::unique_ptr<EventSource> make_event_channel_source(asio::io_context& io, WatchedChannel channel) {
  return std::make_unique<EventChannelSource>(io, std::move(channel));
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(asio::io_context& io, const EventSourceConfig&) {
  std::vector<std::unique_ptr<EventSource>> sources;
  for (auto& watched : windows_watched_channels())
    sources.push_back(make_event_channel_source(io, std::move(watched)));
  return sources;
}

}  // namespace rdpmend::agent
