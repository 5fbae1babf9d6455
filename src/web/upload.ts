// Single-file uploads (imports) held in memory with a size limit. The CSRF token of a multipart form
// can only be read once multer has parsed the body, so it is checked here, for every upload route.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from './app-error.ts';
import { verifyCsrf } from './csrf.ts';

/** `tooLarge`: what to tell the user when the file is over the limit (imports by default). */
export function singleUpload(field: string, maxBytes: number, tooLarge = `上传的文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 的上限，请拆分后分批导入`): RequestHandler {
  // Browsers send the file name as UTF-8; multer would read it as latin1 and turn 单位.csv into mojibake.
  const parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 20 } }).single(field);
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        return next(new AppError(413, tooLarge));
      }
      if (err instanceof multer.MulterError) {
        return next(new AppError(400, err.code === 'LIMIT_FIELD_COUNT' || err.code === 'LIMIT_PART_COUNT'
          ? '提交的表单字段过多' : '上传有误：一次只能上传一个文件，请通过页面上的“选择文件”上传'));
      }
      // Anything else from the multipart parser is a truncated or malformed request body.
      if (err) return next(new AppError(400, '上传内容不完整或格式有误，请重新选择文件上传'));
      try {
        verifyCsrf(req);
      } catch (e) {
        return next(e);
      }
      if (!req.file) return next(new AppError(400, '请选择要上传的文件'));
      if (req.file.size === 0) return next(new AppError(400, `上传的文件“${req.file.originalname}”是空的（0 字节），请检查后重新选择`));
      next();
    });
  };
}
