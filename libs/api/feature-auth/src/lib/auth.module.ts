import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from './auth.config';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

/** Token verification and the guard; the app registers AuthGuard as a global guard. */
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [TokenVerifier, AuthGuard],
  exports: [TokenVerifier, AuthGuard],
})
export class AuthModule {}
