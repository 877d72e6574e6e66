#include "agent/linux/xrdp_log_source.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "events/xrdp_log.h"
#include "platform/linux/unique_fd.h"

namespace rdpmend::agent {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxLine = 64 * 1024;           // a longer "line" is not xrdp's; it is skipped
constexpr std::size_t kMaxReadPerTurn = 1024 * 1024;  // then yield to the io_context
constexpr auto kPoll = std::chrono::seconds(2);

using linux_platform::UniqueFd;

struct Position {
  ino_t inode = 0;
  off_t offset = 0;
};

std::optional<Position> parse_bookmark(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  unsigned long long inode = 0;
  long long offset = 0;
  auto a = std::from_chars(text.data(), text.data() + colon, inode);
  auto b = std::from_chars(text.data() + colon + 1, text.data() + text.size(), offset);
  if (a.ec != std::errc() || b.ec != std::errc() || offset < 0) return std::nullopt;
  return Position{static_cast<ino_t>(inode), static_cast<off_t>(offset)};
}

class XrdpLogSource final : public EventSource {
 public:
  XrdpLogSource(asio::io_context& io, std::string path)
      : io_(io), path_(std::move(path)), inotify_(io), poll_(io) {}

  std::string channel() const override { return "xrdp:" + path_; }

  void start(const std::string& bookmark, EventSink sink) override {
    on_event_ = std::move(sink.event);
    on_progress_ = std::move(sink.progress);
    on_error_ = std::move(sink.error);
    resume_ = parse_bookmark(bookmark);
    if (!bookmark.empty() && !resume_)
      on_error_("ignored a malformed bookmark for " + path_ + ": " + bookmark);
    stopped_ = false;
    struct stat st {};
    first_open_ = ::stat(path_.c_str(), &st) == 0;  // a log that appears later is read from its start
    watch_folder();
    catch_up();
    schedule_poll();
  }

  void stop() override {
    stopped_ = true;
    boost::system::error_code ignored;
    poll_.cancel();
    inotify_.close(ignored);
  }

 private:
  void watch_folder() {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      on_error_(std::string("inotify_init1: ") + std::strerror(errno) + "; polling " + path_ + " every 2 s");
      return;
    }
    auto folder = std::filesystem::path(path_).parent_path();
    if (folder.empty()) folder = ".";
    if (inotify_add_watch(fd, folder.c_str(),
                          IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE |
                              IN_ATTRIB) < 0) {
      on_error_("watch " + folder.string() + ": " + std::strerror(errno) + "; polling every 2 s");
      ::close(fd);
      return;
    }
    inotify_.assign(fd);
    read_notifications();
  }

  void read_notifications() {
    inotify_.async_read_some(asio::buffer(notify_buffer_), [this](boost::system::error_code ec, std::size_t) {
      if (ec || stopped_) return;
      // Which file changed does not matter: catch_up looks at the log itself (rotation included).
      catch_up();
      read_notifications();
    });
  }

  void schedule_poll() {
    poll_.expires_after(kPoll);
    poll_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopped_) return;
      catch_up();
      schedule_poll();
    });
  }

  // Opens the log (when missing or rotated) and reads what was added.
  void catch_up() {
    if (stopped_) return;
    struct stat by_path {};
    bool exists = ::stat(path_.c_str(), &by_path) == 0;
    if (file_ && exists && by_path.st_ino != position_.inode) {
      read_available();  // the rest of the rotated file first
      file_.reset();
    }
    if (!file_ && exists) open_log();
    if (!file_) return;
    struct stat st {};
    if (::fstat(file_.get(), &st) != 0) return;
    if (st.st_size < position_.offset) {  // truncated in place
      on_error_(path_ + " was truncated; reading it from the start");
      position_.offset = 0;
      partial_.clear();
    }
    auto result = read_available();
    if (on_progress_ && position_.offset != reported_)
      on_progress_(std::to_string(position_.inode) + ":" +
                   std::to_string(position_.offset - static_cast<off_t>(partial_.size())));
    reported_ = position_.offset;
    if (result == ReadResult::kMore) asio::post(io_, [this] { catch_up(); });
  }

  void open_log() {
    UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      if (!reported_open_error_) on_error_("open " + path_ + ": " + std::strerror(errno));
      reported_open_error_ = true;
      return;
    }
    reported_open_error_ = false;
    struct stat opened {};
    if (::fstat(fd.get(), &opened) != 0) return;
    position_.inode = opened.st_ino;
    if (resume_ && resume_->inode == opened.st_ino && resume_->offset <= opened.st_size)
      position_.offset = resume_->offset;  // where the last run stopped
    else if (first_open_ && !resume_)
      position_.offset = opened.st_size;  // the first start follows from now on, like tail -F
    else
      position_.offset = 0;  // a new file (rotated while we were away, or created since)
    first_open_ = false;
    resume_.reset();
    partial_.clear();
    file_ = std::move(fd);
  }

  enum class ReadResult { kDone, kMore };

  ReadResult read_available() {
    std::size_t total = 0;
    std::array<char, kReadChunk> buffer{};
    while (total < kMaxReadPerTurn) {
      ssize_t n = ::pread(file_.get(), buffer.data(), buffer.size(), position_.offset);
      if (n <= 0) return ReadResult::kDone;
      total += static_cast<std::size_t>(n);
      off_t line_start = position_.offset - static_cast<off_t>(partial_.size());
      position_.offset += n;
      partial_.append(buffer.data(), static_cast<std::size_t>(n));
      std::size_t begin = 0;
      for (std::size_t nl; (nl = partial_.find('\n', begin)) != std::string::npos; begin = nl + 1) {
        std::string_view line(partial_.data() + begin, nl - begin);
        off_t after = line_start + static_cast<off_t>(nl + 1);
        deliver(line, after);
      }
      partial_.erase(0, begin);
      if (partial_.size() > kMaxLine) {
        on_error_(path_ + ": a line longer than 64 KiB was skipped");
        partial_.clear();
      }
    }
    return ReadResult::kMore;
  }

  void deliver(std::string_view line, off_t after) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto event = events::parse_xrdp_log_line(line);
    if (!event) return;
    event->source = path_;
    on_event_(SourcedEvent{std::move(*event), channel(),
                           std::to_string(position_.inode) + ":" + std::to_string(after)});
  }

  asio::io_context& io_;
  std::string path_;
  asio::posix::stream_descriptor inotify_;
  asio::steady_timer poll_;
  std::array<char, 4096> notify_buffer_{};
  std::function<void(SourcedEvent&&)> on_event_;
  std::function<void(const std::string&)> on_progress_;
  std::function<void(const std::string&)> on_error_;
  std::optional<Position> resume_;
  Position position_;
  UniqueFd file_;
  std::string partial_;
  off_t reported_ = -1;  // the offset last reported as progress
  bool first_open_ = true;
  bool stopped_ = true;
  bool reported_open_error_ = false;
};

}  // namespace

std::unique_ptr<EventSource> make_xrdp_log_source(asio::io_context& io, const std::string& path) {
  return std::make_unique<XrdpLogSource>(io, path);
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(asio::io_context& io,
                                                             const EventSourceConfig& config) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(make_xrdp_log_source(io, config.xrdp_log));
  return sources;
}

}  // namespace rdpmend::agent
