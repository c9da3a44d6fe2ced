// Certificates and keys on disk: atomic writes with exact modes, loads whose errors name the path.
#include "skiff/pki/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "skiff/pki/digest.h"

namespace skiff::pki {

namespace {

base::Status io_error(std::string_view what, const std::filesystem::path& path, int err) {
    return base::internal_error(std::string(what) + " " + path.string() + ": " +
                                std::strerror(err));
}

// Closes the descriptor when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }
    /// Closes now, reporting the error close(2) reports.
    int close() {
        int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

// False with errno set on failure.
bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno != EINTR) {
            return false;
        }
        if (n > 0) {
            data.remove_prefix(static_cast<size_t>(n));
        }
    }
    return true;
}

base::Status fsync_dir(const std::filesystem::path& dir) {
    Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return io_error("syncing directory", dir, errno);
    }
    return {};
}

template <typename T>
base::Result<T> parse_file(const std::filesystem::path& path,
                           base::Result<T> (*parse)(std::string_view)) {
    auto data = read_file(path);
    if (!data.ok()) {
        return data.status();
    }
    auto parsed = parse(*data);
    if (!parsed.ok()) {
        return parsed.status().prepend(path.string());
    }
    return parsed;
}

}  // namespace

base::Status write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               unsigned mode) {
    std::filesystem::path tmp = path;
    tmp += ".tmp." + random_hex(6);
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) {
        return io_error("creating", tmp, errno);
    }
    // open() applied the umask; fchmod sets the exact mode before any byte is written.
    base::Status status;
    if (::fchmod(fd.get(), mode) != 0) {
        status = io_error("setting mode of", tmp, errno);
    } else if (!write_all(fd.get(), data)) {
        status = io_error("writing", tmp, errno);
    } else if (::fsync(fd.get()) != 0) {
        status = io_error("syncing", tmp, errno);
    } else if (fd.close() != 0) {
        status = io_error("closing", tmp, errno);
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
        status = io_error("renaming to", path, errno);
    }
    if (!status.ok()) {
        ::unlink(tmp.c_str());
        return status;
    }
    return fsync_dir(path.parent_path());
}

base::Result<std::string> read_file(const std::filesystem::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            return base::Status(base::Reason::NotFound,
                                "reading " + path.string() + ": " + std::strerror(errno));
        }
        return io_error("reading", path, errno);
    }
    std::string out;
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n == 0) {
            return out;
        }
        if (n < 0 && errno != EINTR) {
            return io_error("reading", path, errno);
        }
        if (n > 0) {
            out.append(buf, static_cast<size_t>(n));
        }
    }
}

base::Status save_cert_and_key(const std::filesystem::path& cert_path,
                               const std::filesystem::path& key_path, const Certificate& cert,
                               const PrivateKey& key) {
    if (auto s = write_file_atomic(key_path, key.to_pem(), kKeyFileMode); !s.ok()) {
        return s;
    }
    return write_file_atomic(cert_path, cert.to_pem(), kCertFileMode);
}

base::Result<CertifiedKey> load_cert_and_key(const std::filesystem::path& cert_path,
                                             const std::filesystem::path& key_path) {
    auto cert = parse_file(cert_path, &Certificate::from_pem);
    if (!cert.ok()) {
        return cert.status();
    }
    auto key = parse_file(key_path, &PrivateKey::from_pem);
    if (!key.ok()) {
        return key.status();
    }
    if (!cert->matches_key(*key)) {
        return base::bad_request(key_path.string() + ": private key does not match certificate " +
                                 cert_path.string());
    }
    return CertifiedKey{std::move(cert).value(), std::move(key).value()};
}

base::Result<CertificateAuthority> load_ca(const std::filesystem::path& cert_path,
                                           const std::filesystem::path& key_path) {
    auto loaded = load_cert_and_key(cert_path, key_path);
    if (!loaded.ok()) {
        return loaded.status();
    }
    if (!loaded->cert.is_ca()) {
        return base::bad_request(cert_path.string() + ": certificate is not a ca");
    }
    return CertificateAuthority{std::move(loaded->cert), std::move(loaded->key)};
}

}  // namespace skiff::pki
