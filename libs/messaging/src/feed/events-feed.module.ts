import { Module } from '@nestjs/common';
import { EventsFeedController } from './events-feed.controller';

/**
 * The embedded integration-event feed. Needs the EventStore under the injection token 'EVENT_STORE'
 * (a global provider of the workflow app) and the app's auth guard to set `request.actor`.
 */
@Module({ controllers: [EventsFeedController] })
export class EventsFeedModule {}
