//! Byte inputs borrowed from Python objects without copying.
//!
//! Every binding that takes data accepts `bytes`, `str` (its UTF-8, which CPython caches inside
//! the string object) and any C-contiguous buffer (`bytearray`, `memoryview`, `array.array`,
//! `mmap`). The bytes are read in place: `bytes` and `str` through their own accessors, other
//! objects through the buffer protocol (`PyObject_GetBuffer`), holding the export until the
//! input is dropped so the exporter can neither resize nor free the memory meanwhile.
//!
//! The wheel targets the stable ABI of CPython 3.9 (`abi3-py39`), whose limited API lacks
//! `PyObject_GetBuffer` (stable ABI from 3.11) and `PyUnicode_AsUTF8AndSize` (from 3.10). Both
//! functions and the `Py_buffer` layout are unchanged in CPython since 3.3, and on Unix an
//! extension resolves them from the running interpreter, so [`ffi`] declares them for such
//! targets (`payseal_declared_ffi`, set by `build.rs`). On Windows, where an abi3 module can
//! only import what `python3.dll` exports, those targets copy non-`bytes` inputs once
//! (`payseal_copy_inputs`).

use std::marker::PhantomData;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

// Borrowing a `bytearray` is only sound while no other thread can write it, which the GIL
// guarantees; a free-threaded build would need copies of writable buffers first.
#[cfg(Py_GIL_DISABLED)]
compile_error!("payseal-python borrows buffers under the GIL; free-threaded builds are not supported");

#[cfg(not(any(payseal_declared_ffi, payseal_copy_inputs)))]
mod ffi {
    pub use pyo3::ffi::{PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer, Py_buffer};
}

#[cfg(payseal_declared_ffi)]
mod ffi {
    //! Declarations for limited-API targets older than 3.11 (see the module docs), named as in C.
    #![allow(non_camel_case_types, non_upper_case_globals)]
    use std::ffi::{c_char, c_int, c_void};

    use pyo3::ffi::{PyObject, Py_ssize_t};

    /// `Py_buffer` as CPython has laid it out since 3.3 (`Include/pybuffer.h`).
    #[repr(C)]
    pub struct Py_buffer {
        pub buf: *mut c_void,
        pub obj: *mut PyObject,
        pub len: Py_ssize_t,
        pub itemsize: Py_ssize_t,
        pub readonly: c_int,
        pub ndim: c_int,
        pub format: *mut c_char,
        pub shape: *mut Py_ssize_t,
        pub strides: *mut Py_ssize_t,
        pub suboffsets: *mut Py_ssize_t,
        pub internal: *mut c_void,
    }

    impl Py_buffer {
        pub const fn new() -> Self {
            Self {
                buf: std::ptr::null_mut(),
                obj: std::ptr::null_mut(),
                len: 0,
                itemsize: 0,
                readonly: 0,
                ndim: 0,
                format: std::ptr::null_mut(),
                shape: std::ptr::null_mut(),
                strides: std::ptr::null_mut(),
                suboffsets: std::ptr::null_mut(),
                internal: std::ptr::null_mut(),
            }
        }
    }

    /// `PyBUF_SIMPLE`: one contiguous run of bytes, no shape or strides.
    pub const PyBUF_SIMPLE: c_int = 0;

    extern "C" {
        pub fn PyObject_GetBuffer(obj: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int;
        pub fn PyBuffer_Release(view: *mut Py_buffer);
        #[cfg(not(Py_3_10))]
        pub fn PyUnicode_AsUTF8AndSize(unicode: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char;
    }
}

/// What keeps the borrowed bytes alive and unmodified.
enum Keeper {
    /// An immutable object (`bytes`, `str`) the caller keeps alive for the input's lifetime.
    Borrowed,
    /// A buffer export, released on drop. Boxed: an exporter may point into its view.
    #[cfg(not(payseal_copy_inputs))]
    Export(Box<ffi::Py_buffer>),
    /// A `bytes` copy the input owns, where the target offers no zero-copy path.
    #[cfg(payseal_copy_inputs)]
    Copy(#[allow(dead_code)] Py<PyBytes>),
}

/// Bytes read in place from a Python object; see the module docs for what is accepted.
///
/// The value is neither `Send` nor `Sync` (it holds a raw pointer), so it stays on the thread
/// that holds the GIL and cannot be moved into `Python::detach`: a `bytearray` could otherwise
/// be written by another thread while Rust reads it.
pub struct ByteInput<'a> {
    ptr: *const u8,
    len: usize,
    // Only held, never read, where nothing needs releasing.
    #[cfg_attr(payseal_copy_inputs, allow(dead_code))]
    keeper: Keeper,
    _borrow: PhantomData<&'a [u8]>,
}

impl std::fmt::Debug for ByteInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteInput").field("len", &self.len).finish_non_exhaustive()
    }
}

impl<'a> ByteInput<'a> {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `ptr` points to `len` initialised bytes that stay valid and unmodified while
        // `self` lives: `Borrowed` objects are immutable and kept alive by the caller for 'a,
        // which outlives `self`; an `Export` pins the exporter's memory until `drop` releases
        // it; a `Copy` is an immutable `bytes` object owned by `self`. Nothing can write a
        // writable buffer meanwhile: `self` never leaves the GIL-holding thread (`!Send`) and
        // the bindings run only Rust code while they use it.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    fn borrowed(bytes: &'a [u8]) -> Self {
        Self { ptr: bytes.as_ptr(), len: bytes.len(), keeper: Keeper::Borrowed, _borrow: PhantomData }
    }

    #[cfg(any(Py_3_10, not(Py_LIMITED_API)))]
    pub(crate) fn from_str(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        let text = <&'a str as FromPyObject<'a, '_>>::extract(obj)?;
        Ok(Self::borrowed(text.as_bytes()))
    }

    #[cfg(all(payseal_declared_ffi, not(Py_3_10)))]
    pub(crate) fn from_str(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `obj` is a live `str` (checked by the caller). CPython returns its UTF-8
        // encoding, cached inside the string object and freed with it, so it stays valid and
        // unchanged for 'a; on failure (lone surrogates) it returns NULL with an exception set.
        let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(obj.as_ptr(), &mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(Self { ptr: data.cast(), len: to_len(size), keeper: Keeper::Borrowed, _borrow: PhantomData })
    }

    #[cfg(all(payseal_copy_inputs, not(Py_3_10)))]
    pub(crate) fn from_str(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        let utf8 = obj.cast::<PyString>().map_err(PyErr::from)?.to_cow()?.into_owned();
        Ok(Self::copied(PyBytes::new(obj.py(), utf8.as_bytes())))
    }

    #[cfg(payseal_copy_inputs)]
    fn copied(copy: Bound<'_, PyBytes>) -> Self {
        let (ptr, len) = (copy.as_bytes().as_ptr(), copy.as_bytes().len());
        Self { ptr, len, keeper: Keeper::Copy(copy.unbind()), _borrow: PhantomData }
    }

    #[cfg(not(payseal_copy_inputs))]
    fn from_buffer(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        let mut view = Box::new(ffi::Py_buffer::new());
        // SAFETY: `obj` is a live object and `view` a writable, exclusively owned `Py_buffer`.
        // On success CPython fills `view` and holds a reference to the exporter, which `drop`
        // releases exactly once; on failure there is nothing to release and an exception is set.
        let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_SIMPLE) };
        if rc != 0 {
            // Not a buffer at all: say what is accepted. A buffer that cannot be read as one
            // run of bytes (a strided memoryview) keeps CPython's own `BufferError`.
            let cause = PyErr::fetch(obj.py());
            return Err(if cause.is_instance_of::<PyTypeError>(obj.py()) { type_error(obj, cause) } else { cause });
        }
        let (ptr, len) = (view.buf.cast::<u8>().cast_const(), to_len(view.len));
        Ok(Self { ptr, len, keeper: Keeper::Export(view), _borrow: PhantomData })
    }

    #[cfg(payseal_copy_inputs)]
    fn from_buffer(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        use pyo3::exceptions::PyBufferError;
        use pyo3::types::PyMemoryView;

        let view = PyMemoryView::from(&obj.to_owned()).map_err(|cause| type_error(obj, cause))?;
        if !view.getattr("c_contiguous")?.is_truthy()? {
            return Err(PyBufferError::new_err("memoryview: underlying buffer is not C-contiguous"));
        }
        let copy = view.call_method0("tobytes")?.cast_into::<PyBytes>().map_err(PyErr::from)?;
        Ok(Self::copied(copy))
    }
}

/// A size CPython reported, which is never negative.
#[cfg(not(payseal_copy_inputs))]
fn to_len(size: pyo3::ffi::Py_ssize_t) -> usize {
    usize::try_from(size).unwrap_or(0)
}

fn type_error(obj: Borrowed<'_, '_, PyAny>, cause: PyErr) -> PyErr {
    let type_name = obj.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
    let err = PyTypeError::new_err(format!("expected bytes, bytearray, memoryview or str, not {type_name}"));
    err.set_cause(obj.py(), Some(cause));
    err
}

impl AsRef<[u8]> for ByteInput<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<'a> ByteInput<'a> {
    /// The bytes in a form that may be read with the GIL released ([`Python::detach`]):
    /// borrowed from an immutable `bytes` or `str`, which no thread can change, and copied from
    /// anything writable (a `bytearray` could be written meanwhile). Copies are wiped on drop.
    pub fn detached(self) -> Detached<'a> {
        if !matches!(self.keeper, Keeper::Borrowed) {
            return Detached::Copied(Wiped(self.as_bytes().to_vec()));
        }
        if self.len == 0 {
            return Detached::Borrowed(&[]);
        }
        // SAFETY: as in `as_bytes`: a `Borrowed` keeper means an immutable object (`bytes`, or a
        // `str`'s cached UTF-8) that the caller keeps alive for 'a, so its bytes stay valid and
        // unchanged for 'a, whichever thread reads them.
        Detached::Borrowed(unsafe { std::slice::from_raw_parts(self.ptr, self.len) })
    }
}

impl ByteInput<'_> {
    /// [`ByteInput::detached`] without giving up the input: borrowed from an immutable `bytes`
    /// or `str` (for as long as `self`), copied from anything writable.
    pub fn detached_ref(&self) -> Detached<'_> {
        if matches!(self.keeper, Keeper::Borrowed) {
            Detached::Borrowed(self.as_bytes())
        } else {
            Detached::Copied(Wiped(self.as_bytes().to_vec()))
        }
    }
}

/// Bytes readable without the GIL; see [`ByteInput::detached`].
#[derive(Debug)]
pub enum Detached<'a> {
    /// Borrowed from an immutable object.
    Borrowed(&'a [u8]),
    /// A private copy of a writable buffer.
    Copied(Wiped),
}

impl AsRef<[u8]> for Detached<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Self::Borrowed(b) => b,
            Self::Copied(w) => &w.0,
        }
    }
}

/// A copy of caller bytes (possibly a secret), wiped (`zeroize`, whole capacity) on drop.
pub struct Wiped(Vec<u8>);

impl std::fmt::Debug for Wiped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wiped({} bytes)", self.0.len())
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl Drop for ByteInput<'_> {
    fn drop(&mut self) {
        #[cfg(not(payseal_copy_inputs))]
        if let Keeper::Export(view) = &mut self.keeper {
            // SAFETY: `view` was filled by a successful `PyObject_GetBuffer` and is released here
            // only, once. The GIL is held: `ByteInput` is `!Send`, and binding code creates and
            // drops it while attached to the interpreter.
            unsafe { ffi::PyBuffer_Release(&mut **view) };
        }
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for ByteInput<'a> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBytes>() {
            let bytes = <&'a [u8] as FromPyObject<'a, 'py>>::extract(obj).map_err(PyErr::from)?;
            return Ok(Self::borrowed(bytes));
        }
        if obj.is_instance_of::<PyString>() {
            return Self::from_str(obj);
        }
        Self::from_buffer(obj)
    }
}
